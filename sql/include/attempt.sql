-- Shared by the ops_* tests: pg_temp.attempt(call) runs one statement and returns 'ok' or its
-- SQLSTATE, message and hint, so that each refusal is one row.
CREATE FUNCTION pg_temp.attempt(call text, OUT result text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE call;
    result := 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS result = RETURNED_SQLSTATE, message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
END $$;
