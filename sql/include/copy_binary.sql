-- Shared by the tests that move values through COPY BINARY files on the server.
-- Each file is private to this server (it lies in the data directory) and to this backend (its
-- name holds pg_backend_pid()), so concurrent runs never share one, and it is removed as it is
-- read back, whether or not the COPY succeeds.
--   pg_temp.copy_out(query, tag)       writes COPY BINARY of the query to the file `tag`;
--   pg_temp.copy_in(target, tag)       copies that file into `target` and removes it
--                                      (both return the number of rows copied);
--   pg_temp.load_forged_into(target, field) writes a one-row, one-column COPY BINARY file
--       holding `field` (through a large object) and copies it into `target`; it returns
--       'accepted', or the SQLSTATE and message of the error;
--   pg_temp.scratch_files_left()       how many of this backend's files are still there.
CREATE FUNCTION pg_temp.scratch_file(tag text) RETURNS text LANGUAGE sql AS $$
    SELECT current_setting('data_directory') || '/opsagg_regress_' || pg_backend_pid() || '_' || tag || '.bin'
$$;
CREATE FUNCTION pg_temp.scratch_files_left() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM pg_ls_dir(current_setting('data_directory')) AS f(name)
    WHERE name LIKE 'opsagg\_regress\_' || pg_backend_pid() || '\_%'
$$;
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
    file text := pg_temp.scratch_file(tag);
    copied bigint;
BEGIN
    IF strpos(file, '''') > 0 THEN
        RAISE EXCEPTION 'data directory path % has a quote', file;
    END IF;
    -- The shell opens the file, removes it, then copies it from the open descriptor.
    EXECUTE format('COPY %s FROM PROGRAM %L (FORMAT binary)', target,
                   format('{ rm -f -- ''%s''; cat; } < ''%s''', file, file));
    GET DIAGNOSTICS copied = ROW_COUNT;
    RETURN copied;
END $$;
CREATE FUNCTION pg_temp.copy_binary_file(field bytea) RETURNS bytea LANGUAGE sql AS $$
    SELECT '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
        || '\x0001'::bytea || int4send(length(field)) || field || '\xffff'::bytea
$$;
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
    PERFORM lo_unlink(lo) FROM pg_largeobject_metadata WHERE oid = lo;
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
