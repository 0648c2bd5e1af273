-- Shared by the hostile_* tests: pg_temp.outcome(query) runs a query that returns one value and
-- gives the value as text, or 'ERROR ' and the SQLSTATE; so each case is one row of a table.
CREATE FUNCTION pg_temp.outcome(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END $$;
