-- latency_sketch: every error of the README's table, each with its SQLSTATE.
\set VERBOSITY sqlstate
\set ON_ERROR_STOP 0

-- Values: negative, infinite or above 1e12 ms: 22003; NaN: 22023.
SELECT latency_sketch(-1.0::float8);
SELECT latency_sketch(-1e-300::float8);
SELECT latency_sketch('-Infinity'::float8);
SELECT latency_sketch('Infinity'::float8);
SELECT latency_sketch(1e12::float8 * (1 + 1e-15));
SELECT latency_sketch(1e13::float8);
SELECT latency_sketch('NaN'::float8);
SELECT latency_sketch(v, 0.05) FROM (VALUES (1.0::float8), ('NaN')) t(v);
SELECT latency_sketch(v) FROM (VALUES (1.0::float8), (NULL), (-0.001)) t(v);
\set VERBOSITY default
SELECT latency_sketch(-1.0::float8);
SELECT latency_sketch('Infinity'::float8);
SELECT latency_sketch('NaN'::float8);
\set VERBOSITY sqlstate
-- The limits themselves are accepted.
SELECT num_vals(latency_sketch(v)), max_val(latency_sketch(v)) FROM (VALUES (0.0::float8), (1e12), ('5e-324')) t(v);

-- relative_accuracy outside [0.0001, 0.5]: 22023; NULL on a row with a value: 22004.
SELECT latency_sketch(1.0::float8, 0);
SELECT latency_sketch(1.0::float8, -0.01);
SELECT latency_sketch(1.0::float8, 0.50000001);
SELECT latency_sketch(1.0::float8, 1);
SELECT latency_sketch(1.0::float8, 0.0000999);
SELECT latency_sketch(1.0::float8, 'NaN');
SELECT latency_sketch(1.0::float8, 'Infinity');
SELECT latency_sketch(1.0::float8, NULL);
SELECT latency_sketch(v, a) FROM (VALUES (1.0::float8, 0.01::float8), (2, NULL)) t(v, a);
\set VERBOSITY default
SELECT latency_sketch(1.0::float8, 0.6);
SELECT latency_sketch(1.0::float8, NULL);
\set VERBOSITY sqlstate
-- The limits themselves are accepted.
SELECT error(latency_sketch(1.0::float8, 0.0001)) AS finest, error(latency_sketch(1.0::float8, 0.5)) AS coarsest;

-- A different accuracy within one group: 22023 (also after NULL rows; not between groups).
SELECT latency_sketch(v, a) FROM (VALUES (1.0::float8, 0.01::float8), (2, 0.02)) t(v, a);
SELECT latency_sketch(v, a) FROM (VALUES (1.0::float8, 0.01::float8), (NULL, 0.3), (2, 0.010000000000000002)) t(v, a);
SELECT g, error(latency_sketch(v, a)) FROM (VALUES (1, 1.0::float8, 0.01::float8), (2, 2, 0.02)) t(g, v, a) GROUP BY g ORDER BY g;
\set VERBOSITY default
SELECT latency_sketch(v, a) FROM (VALUES (1.0::float8, 0.01::float8), (2, 0.02)) t(v, a);
\set VERBOSITY sqlstate

-- Percentiles outside [0, 1] or NaN: 22023, for both accessors and their pipeline forms.
CREATE TEMP TABLE s AS SELECT latency_sketch(v) AS s FROM generate_series(1, 100) v;
SELECT approx_percentile(-0.01, s) FROM s;
SELECT approx_percentile(1.01, s) FROM s;
SELECT approx_percentile('NaN', s) FROM s;
SELECT approx_percentile('Infinity', s) FROM s;
SELECT approx_percentile('-Infinity', s) FROM s;
SELECT approx_percentile_array('{0.5,-0.01}', s) FROM s;
SELECT approx_percentile_array('{1.01}', s) FROM s;
SELECT approx_percentile_array('{NULL,NaN}', s) FROM s;
SELECT s -> approx_percentile(2) FROM s;
SELECT s -> approx_percentile_array('{0.5,NaN}') FROM s;
\set VERBOSITY default
SELECT approx_percentile(1.5, s) FROM s;
SELECT approx_percentile_array('{0.5,-1}', s) FROM s;
\set VERBOSITY sqlstate
-- The limits 0 and 1 (and -0) are accepted.
SELECT approx_percentile(0, s), approx_percentile(1, s), approx_percentile('-0', s), approx_percentile_array('{0,1}', s) FROM s;

-- A multi-dimensional percentile array: 2202E (as width_bucket's thresholds).
SELECT approx_percentile_array('{{0.5,0.9},{0.95,0.99}}', s) FROM s;
SELECT approx_percentile_array('{{0.5}}', s) FROM s;
\set VERBOSITY default
SELECT approx_percentile_array('{{0.5,0.9},{0.95,0.99}}', s) FROM s;
\set VERBOSITY sqlstate
