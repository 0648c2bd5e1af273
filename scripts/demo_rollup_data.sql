-- Sample traffic for the ops rollup part of scripts/demo.sh: about a week of an AI-API
-- gateway's requests in the tables of scripts/demo_rollup_schema.sql (load that first).
--
--   * From midnight UTC 7 days ago to the start of the current hour (the worker's backfill
--     window covers it). About 50,000 requests a day, following the time of day (peak around
--     15:00 UTC, a third of it at night, weekends at 70 %).
--   * Platforms: anthropic (two groups, and keys without a group that reach an anthropic
--     account), openai, gemini, and a legacy group with no platform whose relay account has
--     none either (platform ''). Unknown API keys fail before any group or account is known
--     (401, platform '').
--   * Normal errors: rate limits (429), bad requests (400), upstream errors (502), unknown keys
--     (401) and a few timeouts, about 1 % in all. Latency: log-normal per model, 70 % streamed.
--   * Two outages, both longer than an hour and across hour boundaries:
--       day 2, 13:20-15:05 UTC  openai upstream down: 60 % of openai requests get 502/503
--       day 5, 02:40-04:10 UTC  anthropic upstream slow: successes 4x slower, 30 % time out
--                               (504; a streamed request already sent its 200, so the log has
--                               200 and error_type 'timeout')
--   * usage_logs is written by an asynchronous batch writer: 1 % of the rows arrive up to two
--     minutes late (their id is out of created_at order).
-- Deterministic: setseed() first, then random() in serial statements; the same rows on every
-- run, relative to the day it runs. Plain SQL, a few seconds.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

TRUNCATE public.usage_logs, public.ops_error_logs, public.accounts, public.groups RESTART IDENTITY;

DROP TABLE IF EXISTS public.demo_rollup_period;
CREATE TABLE public.demo_rollup_period AS
SELECT date_trunc('day', now()) - interval '7 days' AS data_start,
       date_trunc('hour', now())                   AS data_end;

INSERT INTO public.groups (id, name, platform) VALUES
    (1, 'claude-pro',     'anthropic'),
    (2, 'claude-team',    'anthropic'),
    (3, 'openai-default', 'openai'),
    (4, 'gemini-free',    'gemini'),
    (5, 'legacy',         '');            -- never given a platform

INSERT INTO public.accounts (id, name, platform, type) VALUES
    (1, 'anthropic-oauth-1', 'anthropic', 'oauth'),
    (2, 'anthropic-oauth-2', 'anthropic', 'oauth'),
    (3, 'anthropic-key-1',   'anthropic', 'apikey'),
    (4, 'openai-key-1',      'openai',    'apikey'),
    (5, 'openai-key-2',      'openai',    'apikey'),
    (6, 'gemini-key-1',      'gemini',    'apikey'),
    (7, 'relay-legacy',      '',          'apikey');   -- an old relay, platform never set

SELECT setseed(0.20261021) AS seeded \gset

-- One row per request, in time order: route, model, outcome.
CREATE TEMP TABLE req AS
WITH minutes AS (
    SELECT m, extract(hour FROM m) + extract(minute FROM m) / 60 AS hod,
           extract(isodow FROM m) >= 6 AS weekend,
           floor(extract(epoch FROM m - p.data_start) / 86400)::int AS day
    FROM public.demo_rollup_period p,
         generate_series(p.data_start, p.data_end - interval '1 minute', interval '1 minute') AS m
),
per_minute AS (
    SELECT m, hod, day,
           round(60 * (0.35 + 0.65 * (1 + cos(2 * pi() * (hod - 15) / 24)) / 2)
                    * CASE WHEN weekend THEN 0.7 ELSE 1 END * (0.85 + 0.3 * random()))::int AS n
    FROM minutes
),
r AS (
    SELECT pm.m + random() * interval '60 seconds' AS created_at, pm.hod, pm.day,
           random() AS u_route, random() AS u_model, random() AS u_err, random() AS u_err2,
           random() AS u_lat1, random() AS u_lat2, random() AS u_stream, random() AS u_tok,
           random() AS u_late
    FROM per_minute pm, generate_series(1, pm.n) AS k
),
routed AS (
    SELECT r.*,
           CASE WHEN u_route < 0.30 THEN 1 WHEN u_route < 0.45 THEN 2    -- groups
                WHEN u_route < 0.75 THEN 3 WHEN u_route < 0.90 THEN 4
                WHEN u_route < 0.96 THEN NULL                            -- keys without a group
                ELSE 5 END AS group_id
    FROM r
),
accounted AS (
    SELECT routed.*,
           CASE group_id WHEN 1 THEN 1 + (u_model * 1000)::int % 2 WHEN 2 THEN 2
                         WHEN 3 THEN 4 + (u_model * 1000)::int % 2 WHEN 4 THEN 6
                         WHEN 5 THEN 7 ELSE 3 END AS account_id
    FROM routed
),
modeled AS (
    SELECT a.*, mm.model, mm.median_ms, mm.platform,
           -- the two outages
           (mm.platform = 'openai' AND created_at >= p.data_start + interval '2 days 13:20'
                                   AND created_at <  p.data_start + interval '2 days 15:05') AS openai_down,
           (mm.platform = 'anthropic' AND created_at >= p.data_start + interval '5 days 02:40'
                                      AND created_at <  p.data_start + interval '5 days 04:10') AS anthropic_slow
    FROM accounted a, public.demo_rollup_period p,
         LATERAL (SELECT * FROM (VALUES
             -- (account platform, model, median latency ms, share within the platform)
             ('anthropic', 'claude-sonnet-4-5', 3500.0, 0.0, 0.6),
             ('anthropic', 'claude-haiku-4-5',   900.0, 0.6, 0.9),
             ('anthropic', 'claude-opus-4-1',   9000.0, 0.9, 1.0),
             ('openai',    'gpt-5',             4000.0, 0.0, 0.5),
             ('openai',    'gpt-5-mini',        1200.0, 0.5, 1.0),
             ('gemini',    'gemini-2.5-pro',    2500.0, 0.0, 0.4),
             ('gemini',    'gemini-2.5-flash',   800.0, 0.4, 1.0),
             ('',          'claude-sonnet-4-5', 3800.0, 0.0, 1.0))
             AS v(platform, model, median_ms, lo, hi)
             WHERE v.platform = (CASE a.account_id WHEN 1 THEN 'anthropic' WHEN 2 THEN 'anthropic'
                                     WHEN 3 THEN 'anthropic' WHEN 4 THEN 'openai' WHEN 5 THEN 'openai'
                                     WHEN 6 THEN 'gemini' ELSE '' END)
               AND a.u_model >= v.lo AND a.u_model < v.hi) mm
)
SELECT row_number() OVER (ORDER BY created_at) AS n, created_at, group_id, account_id, platform, model,
       u_stream < 0.7 AS stream,
       -- outcome: NULL = success, else (status_code, error_type)
       CASE WHEN openai_down AND u_err < 0.60 THEN CASE WHEN u_err2 < 0.7 THEN 502 ELSE 503 END
            WHEN anthropic_slow AND u_err < 0.30 THEN CASE WHEN u_stream < 0.7 THEN 200 ELSE 504 END
            WHEN u_err < 0.0040 THEN 429
            WHEN u_err < 0.0065 THEN 502
            WHEN u_err < 0.0085 THEN 400
            WHEN u_err < 0.0095 THEN 401
            WHEN u_err < 0.0100 THEN CASE WHEN u_stream < 0.7 THEN 200 ELSE 504 END
       END AS status_code,
       CASE WHEN openai_down AND u_err < 0.60 THEN CASE WHEN u_err2 < 0.7 THEN 'upstream_error' ELSE 'overloaded_error' END
            WHEN anthropic_slow AND u_err < 0.30 THEN 'timeout'
            WHEN u_err < 0.0040 THEN 'rate_limit_error'
            WHEN u_err < 0.0065 THEN 'upstream_error'
            WHEN u_err < 0.0085 THEN 'invalid_request_error'
            WHEN u_err < 0.0095 THEN 'authentication_error'
            WHEN u_err < 0.0100 THEN 'timeout'
       END AS error_type,
       -- latency: log-normal around the model's median (sigma 0.6), 4x during the slow outage
       round(median_ms * exp(0.6 * sqrt(-2 * ln(1 - u_lat1)) * cos(2 * pi() * u_lat2))
             * CASE WHEN anthropic_slow THEN 4 ELSE 1 END)::int AS duration_ms,
       (200 + 4000 * u_tok)::int AS input_tokens,
       (20 + 1500 * u_tok * u_lat1)::int AS output_tokens,
       CASE WHEN u_late < 0.01 THEN u_late * 100 * interval '2 minutes' ELSE interval '0' END AS write_delay
FROM modeled;

-- Successes: usage_logs, in the order the batch writer wrote them.
INSERT INTO public.usage_logs (request_id, user_id, api_key_id, account_id, group_id, model,
                               input_tokens, output_tokens, cache_read_tokens, total_cost, stream,
                               duration_ms, first_token_ms, created_at)
SELECT 'req_' || lpad(to_hex(n), 10, '0'), 1 + n % 97, 1 + n % 211, account_id, group_id, model,
       input_tokens, output_tokens, input_tokens / 3,
       round((input_tokens * 3 + output_tokens * 15) / 1e6, 10), stream,
       duration_ms, CASE WHEN stream THEN duration_ms / 6 END, created_at
FROM req
WHERE status_code IS NULL
ORDER BY created_at + write_delay;

-- Failures: ops_error_logs. Unknown keys (401) fail before a group or account is known; the
-- handler records the platform for upstream failures only.
INSERT INTO public.ops_error_logs (request_id, user_id, api_key_id, account_id, group_id, platform,
                                   model, request_path, stream, status_code, error_phase, error_type,
                                   error_message, duration_ms, created_at)
SELECT 'req_' || lpad(to_hex(n), 10, '0'),
       CASE WHEN status_code <> 401 THEN 1 + n % 97 END,
       CASE WHEN status_code <> 401 THEN 1 + n % 211 END,
       CASE WHEN status_code NOT IN (401, 429, 400) THEN account_id END,
       CASE WHEN status_code <> 401 THEN group_id END,
       CASE WHEN error_phase = 'upstream' THEN platform ELSE '' END,
       model,
       CASE WHEN platform = 'openai' THEN '/v1/chat/completions' ELSE '/v1/messages' END,
       stream, status_code, error_phase, error_type,
       CASE error_type WHEN 'rate_limit_error' THEN 'user concurrency limit reached'
                       WHEN 'upstream_error' THEN 'upstream returned 502 Bad Gateway'
                       WHEN 'overloaded_error' THEN 'upstream overloaded'
                       WHEN 'invalid_request_error' THEN 'max_tokens: must be at most 64000'
                       WHEN 'authentication_error' THEN 'invalid API key'
                       ELSE 'upstream response timed out after 600s' END,
       CASE WHEN error_type = 'timeout' THEN 600000
            WHEN error_phase = 'upstream' THEN least(duration_ms, 30000) / 4
            ELSE 3 + n % 20 END,
       created_at
FROM (SELECT req.*, CASE WHEN status_code IN (401, 429, 400) THEN CASE status_code WHEN 401 THEN 'auth' ELSE 'routing' END
                         ELSE 'upstream' END AS error_phase
      FROM req WHERE status_code IS NOT NULL) e
ORDER BY created_at;

DROP TABLE req;
ANALYZE public.groups, public.accounts, public.usage_logs, public.ops_error_logs;

SELECT format('usage_logs: %s rows, ops_error_logs: %s rows, from %s to %s UTC',
              (SELECT count(*) FROM public.usage_logs), (SELECT count(*) FROM public.ops_error_logs),
              to_char(data_start, 'YYYY-MM-DD HH24:MI'), to_char(data_end, 'YYYY-MM-DD HH24:MI')) AS loaded
FROM public.demo_rollup_period \gset
\echo :loaded
