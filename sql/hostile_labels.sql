-- Hostile labels: deep nesting, a million keys, extreme numbers. Each case is an ERROR with
-- its SQLSTATE or the correct canonical text.
\getenv abs_srcdir PG_ABS_SRCDIR
\set outcome :abs_srcdir '/sql/include/outcome.sql'
\i :outcome

-- Nesting 10,000 deep (jsonb accepts it): labels are flat, so 22023, never a stack overflow.
CREATE TEMP TABLE deep AS SELECT
    (repeat('{"a":', 10000) || '"x"' || repeat('}', 10000))::jsonb AS object_10000,
    (repeat('[', 10000) || '"x"' || repeat(']', 10000))::jsonb AS array_10000,
    ('{"k":' || repeat('[', 10000) || '1' || repeat(']', 10000) || '}')::jsonb AS array_in_value_10000;
SELECT c AS "case",
       pg_temp.outcome(format('SELECT labels_canonical(%s) FROM deep', c)) AS canonical,
       pg_temp.outcome(format('SELECT labels_canonical_text(%s) FROM deep', c)) AS canonical_text,
       pg_temp.outcome(format('SELECT labels_fingerprint(%s) FROM deep', c)) AS fingerprint
FROM unnest(ARRAY['object_10000', 'array_10000', 'array_in_value_10000']) AS c;

-- A million keys (jsonb orders them by length, then bytes; the canonical form by bytes): every
-- key kept, in byte order, with its value; the fingerprint is XXH64 of that text.
CREATE TEMP TABLE wide AS
SELECT ('{' || string_agg(format('"k%s":"%s"', g, g), ',') || '}')::jsonb AS labels FROM generate_series(1, 1000000) AS g;
SELECT length(t) AS text_length, left(t, 34) AS first_keys, right(t, 40) AS last_keys, fingerprint
FROM (SELECT labels_canonical_text(labels) AS t, labels_fingerprint(labels) AS fingerprint FROM wide) AS c;
DROP TABLE wide;

-- Numbers: plain decimal strings, -0 is 0, no exponent, no trailing zeros; JSON has no NaN or
-- Infinity numbers (jsonb refuses them), and the strings "NaN" / "Infinity" stay strings.
SELECT name, labels_canonical_text(labels) = expected AS correct,
       CASE WHEN length(labels_canonical_text(labels)) <= 60 THEN labels_canonical_text(labels) END AS canonical_text
FROM (VALUES
    ('1e308',           '{"v":1e308}'::jsonb,  '{"v":"1' || repeat('0', 308) || '"}'),
    ('-1e308',          '{"v":-1e308}',        '{"v":"-1' || repeat('0', 308) || '"}'),
    ('1e-308',          '{"v":1e-308}',        '{"v":"0.' || repeat('0', 307) || '1"}'),
    ('1.7976931348623157e308', '{"v":1.7976931348623157e308}', '{"v":"17976931348623157' || repeat('0', 292) || '"}'),
    ('-0',              '{"v":-0}',            '{"v":"0"}'),
    ('-0.0',            '{"v":-0.0}',          '{"v":"0"}'),
    ('0e10',            '{"v":0e10}',          '{"v":"0"}'),
    ('100.000',         '{"v":100.000}',       '{"v":"100"}'),
    ('1E+2',            '{"v":1E+2}',          '{"v":"100"}'),
    ('-1.50e-3',        '{"v":-1.50e-3}',      '{"v":"-0.0015"}'),
    ('1000 nines',      jsonb_build_object('v', repeat('9', 1000)::numeric), '{"v":"' || repeat('9', 1000) || '"}'),
    ('-1000 nines',     jsonb_build_object('v', ('-' || repeat('9', 1000))::numeric), '{"v":"-' || repeat('9', 1000) || '"}'),
    ('1000 decimals',   jsonb_build_object('v', ('0.' || repeat('0', 998) || '1')::numeric), '{"v":"0.' || repeat('0', 998) || '1"}'),
    ('1e1000',          '{"v":1e1000}',        '{"v":"1' || repeat('0', 1000) || '"}'),
    ('float8 NaN',      jsonb_build_object('v', 'NaN'::float8), '{"v":"NaN"}'),
    ('float8 Infinity', jsonb_build_object('v', 'Infinity'::float8, 'w', '-Infinity'::float8), '{"v":"Infinity","w":"-Infinity"}'),
    ('numeric NaN',     jsonb_build_object('v', 'NaN'::numeric), '{"v":"NaN"}'),
    ('string NaN',      '{"v":"NaN"}',         '{"v":"NaN"}')
) AS t(name, labels, expected)
ORDER BY name;
-- The fingerprint does not depend on how a number was written.
SELECT count(DISTINCT labels_fingerprint(labels)) AS fingerprints
FROM (VALUES ('{"v":100}'::jsonb), ('{"v":1e2}'), ('{"v":100.000}'), ('{"v":"100"}'), ('{"v":1E+2}')) AS t(labels);
SELECT pg_temp.outcome($$SELECT '{"v":NaN}'::jsonb$$) AS jsonb_nan, pg_temp.outcome($$SELECT '{"v":Infinity}'::jsonb$$) AS jsonb_infinity;
-- A number with a 100,000-digit exponent: an answer of 100,001 digits, or a clear error.
SELECT pg_temp.outcome($$SELECT length(labels_canonical_text('{"v":1e100000}'))$$) AS exponent_100000;
