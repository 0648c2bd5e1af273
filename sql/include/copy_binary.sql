-- Shared by the tests that move values through COPY BINARY files on the server.
-- Each file is private to this server (it lies in the data directory) and to this backend (its
-- name holds pg_backend_pid()), so concurrent runs never share one; a test ends by removing its
-- files with pg_temp.remove_scratch_files().
--   pg_temp.copy_out(query, tag)       writes COPY BINARY of the query to the file `tag`;
--   pg_temp.copy_in(target, tag)       copies that file into `target`
--                                      (both return the number of rows copied);
--   pg_temp.load_forged_into(target, field) writes a one-row, one-column COPY BINARY file
--       holding `field` (through a large object) and copies it into `target`; it returns
--       'accepted', or the SQLSTATE and message of the error;
--   pg_temp.remove_scratch_files()     removes this backend's files; returns how many are left.
-- (Helpers called once per case are PL/pgSQL returning simple expressions: no plan, so no JIT
-- compilation per case when JIT is forced.)
CREATE FUNCTION pg_temp.scratch_file(tag text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN current_setting('data_directory') || '/opsagg_regress_' || pg_backend_pid() || '_' || tag || '.bin';
END $$;
CREATE TEMP TABLE scratch_sink (line text);
CREATE FUNCTION pg_temp.remove_scratch_files() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    pattern text := 'opsagg\_regress\_' || pg_backend_pid() || '\_%';
    file text;
BEGIN
    FOR file IN SELECT name FROM pg_ls_dir(current_setting('data_directory')) AS f(name) WHERE name LIKE pattern LOOP
        -- SQL removes a file only through a program (it prints nothing into the sink).
        EXECUTE format('COPY pg_temp.scratch_sink FROM PROGRAM %L',
                       format('rm -f -- %s', quote_literal(current_setting('data_directory') || '/' || file)));
    END LOOP;
    RETURN (SELECT count(*) FROM pg_ls_dir(current_setting('data_directory')) AS f(name) WHERE name LIKE pattern);
END $$;
CREATE FUNCTION pg_temp.copy_out(query text, tag text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    copied bigint;
BEGIN
    EXECUTE format('COPY (%s) TO %L (FORMAT binary)', query, pg_temp.scratch_file(tag));
    GET DIAGNOSTICS copied = ROW_COUNT;
    RETURN copied;
END $$;
CREATE FUNCTION pg_temp.copy_in(target regclass, tag text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    copied bigint;
BEGIN
    EXECUTE format('COPY %s FROM %L (FORMAT binary)', target, pg_temp.scratch_file(tag));
    GET DIAGNOSTICS copied = ROW_COUNT;
    RETURN copied;
END $$;
CREATE FUNCTION pg_temp.copy_binary_file(field bytea) RETURNS bytea LANGUAGE plpgsql AS $$
BEGIN
    RETURN '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
        || '\x0001'::bytea || int4send(length(field)) || field || '\xffff'::bytea;
END $$;
CREATE FUNCTION pg_temp.load_forged_into(target regclass, field bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lo oid := lo_from_bytea(0, pg_temp.copy_binary_file(field));
BEGIN
    PERFORM lo_export(lo, pg_temp.scratch_file('forged'));
    PERFORM lo_unlink(lo);
    PERFORM pg_temp.copy_in(target, 'forged');
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    -- The error rolled back the block, lo_unlink included: the large object exists again.
    PERFORM lo_unlink(lo);
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
