-- labels_canonical_text and labels_fingerprint are defined over UTF-8: keys are sorted by
-- their UTF-8 bytes and the fingerprint hashes the UTF-8 text, so both are the same in a
-- database of any encoding (the text is returned in the database's encoding). This
-- database is UTF8; a WIN1252 and an SQL_ASCII database are created and compared with it.
SET client_encoding = 'UTF8';
SELECT current_setting('server_encoding') AS server_encoding;
SELECT current_database() AS regress_database \gset
-- Databases left by an interrupted run.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS opsagg_regress_win1252;
DROP DATABASE IF EXISTS opsagg_regress_sql_ascii;
RESET client_min_messages;

-- Keys whose byte order differs between WIN1252 and UTF-8 (WIN1252 puts € = 0x80 and
-- “ = 0x93 before é = 0xE9; UTF-8 puts them after), values with the same characters,
-- numbers, escapes and an already sorted set.
\set samples '(VALUES (1, ''{"€":"1","é":"2"}''), (2, ''{"“quoted”":"€","e":"é","z":"ÿ","é":"“”"}''), (3, ''{"B":"x","a":1.50,"é":true,"\\t\\"":"\\\\"}''), (4, ''{"a":"1","b":"2"}'')) AS s(n, labels)'
SELECT n, labels_canonical_text(labels::jsonb) AS text, labels_fingerprint(labels::jsonb) AS fingerprint
FROM :samples ORDER BY n;
SELECT string_agg(labels_canonical_text(labels::jsonb) || ' ' || labels_fingerprint(labels::jsonb), E'\n' ORDER BY n) AS utf8_results
FROM :samples \gset
-- The README's test vector, for reference.
SELECT labels_fingerprint('{"port":8080,"host":"a"}') = -2718092057370319279 AS readme_vector;
-- A long key in an error message is cut after 64 characters ("..."), never inside one.
\set long_key_error 'SELECT labels_canonical(jsonb_build_object(repeat(''€'', 1000), ''{}''::jsonb))'
:long_key_error;

-- WIN1252: the same text (converted back to WIN1252) and the same fingerprints.
CREATE DATABASE opsagg_regress_win1252 ENCODING 'WIN1252' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c opsagg_regress_win1252
SET client_encoding = 'UTF8';
CREATE EXTENSION opsagg;
SELECT current_setting('server_encoding') AS server_encoding;
SELECT n, labels_canonical_text(labels::jsonb) AS text, labels_fingerprint(labels::jsonb) AS fingerprint
FROM :samples ORDER BY n;
SELECT string_agg(labels_canonical_text(labels::jsonb) || ' ' || labels_fingerprint(labels::jsonb), E'\n' ORDER BY n) = :'utf8_results' AS same_as_utf8
FROM :samples;
-- labels_canonical gives the same jsonb too (converted to UTF-8 and back when it rewrites).
SELECT labels_canonical('{"€":1.0,"é":"2","x":null}') AS canonical,
       labels_canonical('{"€":1.0,"é":"2","x":null}') = '{"é":"2","€":"1"}' AS same;
-- The error message is converted from UTF-8 to WIN1252 (the client sees the € again).
:long_key_error;
\set VERBOSITY sqlstate
:long_key_error;
\set VERBOSITY default

-- SQL_ASCII: bytes are not characters there. Labels are taken as UTF-8 bytes: UTF-8 text
-- gives the UTF8 database's results; bytes that are not UTF-8 are refused (22021).
CREATE DATABASE opsagg_regress_sql_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c opsagg_regress_sql_ascii
SET client_encoding = 'UTF8';
CREATE EXTENSION opsagg;
SELECT current_setting('server_encoding') AS server_encoding;
SELECT string_agg(labels_canonical_text(labels::jsonb) || ' ' || labels_fingerprint(labels::jsonb), E'\n' ORDER BY n) = :'utf8_results' AS same_as_utf8
FROM :samples;
-- 0xE9 alone: é in LATIN1 or WIN1252, not UTF-8.
\set VERBOSITY sqlstate
SELECT labels_canonical_text(jsonb_build_object(convert_from('\xe9', 'SQL_ASCII'), 'x'));
SELECT labels_fingerprint(jsonb_build_object('k', convert_from('\x61e9', 'SQL_ASCII')));
SELECT labels_canonical(jsonb_build_object(convert_from('\xe9', 'SQL_ASCII'), 1));
\set VERBOSITY default

\c :regress_database
DROP DATABASE opsagg_regress_win1252;
DROP DATABASE opsagg_regress_sql_ascii;
