-- Shared by the *_io tests: feed binary input functions bytes we choose, through COPY BINARY.
-- pg_temp.load_forged_into(target, file, field) writes a one-row, one-column COPY BINARY file
-- holding `field` (server side, via a large object) and copies it into `target`; it returns
-- 'accepted', or the SQLSTATE and message of the error.
CREATE FUNCTION pg_temp.copy_binary_file(field bytea) RETURNS bytea LANGUAGE sql AS $$
    SELECT '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
        || '\x0001'::bytea || int4send(length(field)) || field || '\xffff'::bytea
$$;
CREATE FUNCTION pg_temp.load_forged_into(target regclass, file text, field bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lo oid := lo_from_bytea(0, pg_temp.copy_binary_file(field));
BEGIN
    PERFORM lo_export(lo, file);
    PERFORM lo_unlink(lo);
    EXECUTE format('COPY %s FROM %L (FORMAT binary)', target, file);
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    PERFORM lo_unlink(lo) FROM pg_largeobject_metadata WHERE oid = lo;
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
