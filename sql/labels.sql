-- labels_canonical, labels_canonical_text, labels_fingerprint.

-- The same series, written differently, is one label set.
SELECT labels_canonical('{"host":"a","port":8080}') = labels_canonical('{"port":"8080","host":"a"}') AS same,
       labels_canonical('{"port":8080.0,"host":"a"}') = labels_canonical('{"host":"a","port":"8080"}') AS same_decimal;
-- The plain-SQL helper changes nothing: jsonb already orders keys, and value types still differ.
SELECT (SELECT jsonb_object_agg(key, value ORDER BY key) FROM jsonb_each('{"host":"a","port":8080}'))
     = (SELECT jsonb_object_agg(key, value ORDER BY key) FROM jsonb_each('{"port":"8080","host":"a"}')) AS sql_helper_same;

-- Every value becomes a string.
SELECT labels_canonical('{"s":"x","n":8080,"f":1.5,"t":true,"b":false}');
-- Numbers: plain decimal, no exponent, no trailing zeros, one zero.
SELECT n AS input, labels_canonical(jsonb_build_object('v', n::jsonb)) ->> 'v' AS canonical
FROM unnest(ARRAY['8080', '8080.0', '8080.000', '1e3', '1E+3', '1.50', '0.001', '1e-3', '-0', '-0.0',
                  '0e10', '-5.10', '100', '12345678901234567890.123', '1e30', '-2.5e-5']) AS n;
-- Strings are kept as they are, also ones that look like numbers or booleans.
SELECT labels_canonical('{"a":"8080.0","b":"TRUE","c":" x ","d":"null"}');
-- Null and empty values are dropped: an empty label is an absent label.
SELECT labels_canonical('{"a":null,"b":"","c":"x"}'), labels_canonical('{"a":null}'), labels_canonical('{}');
SELECT labels_canonical('{"job":"api","env":""}') = labels_canonical('{"job":"api"}') AS empty_is_absent;
-- Keys are kept byte for byte: case, spaces, unicode, escapes.
SELECT labels_canonical('{"Host":"a","host":"b"," host ":"c","hôte":"d","\u00e9":"e","":"empty key"}');
-- Duplicate keys in the input text: jsonb keeps the last one.
SELECT labels_canonical('{"a":"1","a":"2"}');
-- Idempotent.
SELECT labels_canonical(labels_canonical(j)) = labels_canonical(j) AS idempotent,
       labels_canonical_text(labels_canonical(j)) = labels_canonical_text(j) AS text_idempotent
FROM (VALUES ('{"a":1.0,"b":null,"c":"","d":true,"e":"x"}'::jsonb), ('{}'), ('{"z":"1","y":2}')) v(j);
-- An already canonical value comes back unchanged.
SELECT labels_canonical('{"a":"1","b":"2"}') = '{"a":"1","b":"2"}'::jsonb AS unchanged;

-- Canonical text: compact JSON, keys sorted by their bytes (not jsonb's length-first order).
SELECT labels_canonical_text('{"b":"x","a":"y","aa":"z","B":"w","é":"u"}');
SELECT '{"b":"x","a":"y","aa":"z"}'::jsonb::text AS jsonb_order;
-- Escapes: quote, backslash, control characters; other characters as they are.
SELECT labels_canonical_text(jsonb_build_object('k"\', E'line\nnext\ttab\u0001', 'ü', '日本', 'slash', '/'));
SELECT labels_canonical_text('{}'), labels_canonical_text('{"a":null}');
-- The text is valid JSON whose value is the canonical jsonb.
SELECT labels_canonical_text(j)::jsonb = labels_canonical(j) AS text_is_json
FROM (VALUES ('{"a":1.0,"b":null,"c":"","d":true,"e":"x\"y"}'::jsonb), ('{"\u0001":"\u001f"}')) v(j);

-- Fingerprint: XXH64 (seed 0) of the canonical text's UTF-8 bytes, as a signed bigint.
-- Test vectors, checked with xxhsum -H1 (xxHash 0.8.1):
--   {}                          -> 2e1472b57af294d1
--   {"host":"a","port":"8080"}  -> da4765acc5a1a651
SELECT to_hex(labels_fingerprint('{}')) AS empty,
       to_hex(labels_fingerprint('{"port":8080,"host":"a"}')) AS host_port,
       labels_fingerprint('{"port":8080,"host":"a"}') AS signed_value;
SELECT labels_fingerprint('{"host":"a","port":8080}') = labels_fingerprint('{"port":"8080.0","host":"a"}') AS differs_from_string_8080_0,
       labels_fingerprint('{"host":"a","port":8080}') = labels_fingerprint('{"port":"8080","host":"a","x":null}') AS same_series;

-- Very large objects.
SELECT (SELECT count(*) FROM jsonb_object_keys(c)) AS keys, length(labels_canonical_text(j)) AS text_length,
       labels_canonical(c) = c AS idempotent, c ->> 'key99999' AS last_value
FROM (SELECT j, labels_canonical(j) AS c
      FROM (SELECT jsonb_object_agg('key' || i, i) AS j FROM generate_series(1, 100000) AS i) s) t;
SELECT length(labels_canonical_text(jsonb_build_object('v', repeat('x', 1000000)))) AS long_value;

-- NULL in, NULL out.
SELECT labels_canonical(NULL) IS NULL AS a, labels_canonical_text(NULL) IS NULL AS b, labels_fingerprint(NULL) IS NULL AS c;

-- Errors: not an object, nested values (22023), naming what was found.
\set ON_ERROR_STOP 0
SELECT labels_canonical('[1, 2]');
SELECT labels_canonical('"host=a"');
SELECT labels_canonical('8080');
SELECT labels_canonical('true');
SELECT labels_canonical('null');
SELECT labels_canonical('{"host":"a","tags":["x","y"]}');
SELECT labels_canonical_text('{"host":"a","meta":{"x":1}}');
SELECT labels_fingerprint('{"host":{}}');
\set VERBOSITY sqlstate
SELECT labels_canonical('[]');
SELECT labels_canonical('{"a":[]}');
SELECT labels_canonical_text('1');
SELECT labels_fingerprint('[{"a":1}]');
