# The live worker keeps the rollups exact through restarts, crashes and failing sources:
# it fills on start, folds in late rows, catches up after downtime (from its change records,
# and from its watermark for rows no trigger saw), converges after kill -9 of the worker and
# after an immediate shutdown in the middle of a refresh, follows a new interval on SIGHUP,
# goes on when a source is dropped, and works as a least-privilege role.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

# initdb refuses root: scripts/test.sh runs this file as the postgres OS user.
plan skip_all => 'TAP tests cannot run as root: run them as the postgres OS user'
  if $> == 0;

my $node = PostgreSQL::Test::Cluster->new('rollup');
$node->init;
$node->append_conf(
	'postgresql.conf', qq{
shared_preload_libraries = 'opsagg'
opsagg.database = 'postgres'
opsagg.worker_interval = '1s'
restart_after_crash = on
});
$node->start;

$node->safe_psql(
	'postgres', q{
CREATE EXTENSION opsagg;
CREATE TABLE requests (occurred_at timestamptz NOT NULL, platform text, status_code integer,
                       latency_ms double precision, is_timeout boolean);
CREATE INDEX ON requests (occurred_at);
CREATE TABLE failures (LIKE requests);
CREATE INDEX ON failures (occurred_at);
-- Slows every scan of the source by 0.3 s, so that a refresh is long enough to be interrupted.
-- (Qualified: the worker runs with search_path = pg_catalog, pg_temp.)
CREATE TABLE slow (on_ boolean NOT NULL DEFAULT false);
INSERT INTO slow VALUES (false);
CREATE FUNCTION maybe_sleep() RETURNS boolean LANGUAGE sql AS
    $$ SELECT CASE WHEN on_ THEN pg_sleep(0.3) IS NOT NULL ELSE true END FROM public.slow $$;
CREATE VIEW failure_events AS
    SELECT occurred_at, platform, status_code, latency_ms, is_timeout FROM failures
    WHERE (SELECT maybe_sleep());
CREATE FUNCTION add_events(n integer, back interval) RETURNS void LANGUAGE sql AS $$
    INSERT INTO requests
    SELECT now() - random() * back, (ARRAY['openai', 'anthropic', '', NULL])[1 + (random() * 3)::int],
           CASE WHEN random() < 0.1 THEN 429 ELSE 200 END, random() * 900 + 5, false
    FROM generate_series(1, n);
    INSERT INTO failures
    SELECT now() - random() * back, (ARRAY['openai', 'gemini'])[1 + (random())::int],
           (ARRAY[500, 502, 504, 400])[1 + (random() * 3)::int], NULL, random() < 0.3
    FROM generate_series(1, n / 10);
$$;
SELECT add_events(20000, interval '3 days');
SELECT ops_add_source('requests');
SELECT ops_add_source('failure_events', watch => 'failures');
});

# Hours and platforms where the rollup differs from the raw events (counts, errors, samples),
# over the hours the worker keeps; and the rows compared.
my $mismatches = q{
WITH raw AS (
    SELECT date_bin('1 hour', occurred_at, '2000-01-01 00:00:00+00') AS h, COALESCE(platform, '') AS p,
           count(*) AS n,
           count(*) FILTER (WHERE COALESCE(status_code >= 400, false) OR COALESCE(is_timeout, false)) AS e,
           count(latency_ms) AS s
    FROM (SELECT * FROM requests UNION ALL SELECT * FROM failures) AS x
    WHERE occurred_at >= date_bin('1 hour', now() - interval '30 days', '2000-01-01 00:00:00+00')
    GROUP BY 1, 2),
roll AS (
    SELECT bucket_start AS h, platform AS p, request_count AS n, error_count AS e, latency_sample_count AS s
    FROM ops_metrics_hourly
    WHERE bucket_start >= date_bin('1 hour', now() - interval '30 days', '2000-01-01 00:00:00+00'))
SELECT count(*) FILTER (WHERE raw.n IS DISTINCT FROM roll.n OR raw.e IS DISTINCT FROM roll.e
                          OR raw.s IS DISTINCT FROM roll.s) || ' of ' || count(*)
FROM raw FULL JOIN roll USING (h, p)};

sub converged
{
	my ($what) = @_;
	my $ok = $node->poll_query_until('postgres',
		"SELECT ($mismatches) LIKE '0 of %' AND (SELECT count(*) FROM ops_change_log) = 0");
	my $state = $node->safe_psql('postgres', $mismatches);
	ok($ok, "$what: rollups equal the raw events ($state hours and platforms differ)");
	return $ok;
}

# The worker's pid, once it is connected.
sub worker_pid
{
	$node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'opsagg rollup worker'")
	  or die "the worker is not running";
	return $node->safe_psql('postgres',
		"SELECT pid FROM pg_stat_activity WHERE backend_type = 'opsagg rollup worker'");
}

# Waits until the worker is inside a step (its slow source makes steps last), then returns.
sub wait_mid_refresh
{
	$node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity
		  WHERE backend_type = 'opsagg rollup worker' AND state = 'active' AND query LIKE '%ops_worker_cycle_step%'},
		't')
	  or die "the worker never started a step";
	usleep(200_000);
}

# Forget all progress, so that the next cycle refreshes 30 days again (31 slow steps).
sub restart_backfill
{
	$node->safe_psql('postgres',
		q{UPDATE slow SET on_ = true; UPDATE ops_rollup_state SET next_hour = NULL});
}

# -- Fills on start, visible in pg_stat_activity.
converged('first fill');
is( $node->safe_psql('postgres',
		q{SELECT application_name FROM pg_stat_activity WHERE backend_type = 'opsagg rollup worker'}),
	'opsagg rollup worker',
	'the worker shows in pg_stat_activity with its backend_type and application_name');
is($node->safe_psql('postgres', q{SELECT count(*) > 0 FROM ops_metrics_daily}), 't', 'daily rows derived');

# -- A late row in an old hour, an update and a delete are folded in.
$node->safe_psql(
	'postgres', q{
INSERT INTO requests VALUES (now() - interval '50 hours', 'late', 200, 12, false);
UPDATE requests SET platform = 'moved' WHERE ctid IN (SELECT ctid FROM requests WHERE platform = 'openai' LIMIT 5);
DELETE FROM failures WHERE ctid IN (SELECT ctid FROM failures LIMIT 7);
});
converged('late insert, update, delete');
is($node->safe_psql('postgres', q{SELECT sum(request_count) FROM ops_metrics_hourly WHERE platform = 'late'}),
	'1', 'the late row is in its hour');

# -- Stopped while events arrived: disabled, events written, server restarted, enabled.
$node->append_conf('postgresql.conf', "opsagg.worker_enabled = off");
$node->reload;
sleep(2);
$node->safe_psql('postgres', q{SELECT add_events(3000, interval '40 hours')});
$node->restart;
$node->append_conf('postgresql.conf', "opsagg.worker_enabled = on");
$node->reload;
converged('catch-up after downtime (change records)');

# -- Rows no trigger saw (a replica-mode load) in hours after the watermark: the catch-up finds
# them once the watermark is three days back (as after three days of downtime).
$node->append_conf('postgresql.conf', "opsagg.worker_enabled = off");
$node->reload;
sleep(2);
$node->safe_psql(
	'postgres', q{
SET session_replication_role = replica;
SELECT add_events(2000, interval '70 hours');
RESET session_replication_role;
UPDATE ops_rollup_state SET next_hour = date_bin('1 hour', now() - interval '72 hours', '2000-01-01 00:00:00+00');
});
$node->append_conf('postgresql.conf', "opsagg.worker_enabled = on");
$node->reload;
converged('catch-up after downtime (watermark)');
cmp_ok($node->safe_psql('postgres', q{SELECT hours_refreshed FROM ops_rollup_status LIMIT 1}),
	'>=', 1, 'the catch-up cycle refreshed hours');

# -- kill -9 of the worker in the middle of a refresh: the postmaster restarts the server,
# the worker resumes, and the rollups converge to exact counts.
restart_backfill();
$node->safe_psql('postgres', q{SELECT add_events(1000, interval '60 hours')});
wait_mid_refresh();
my $pid = worker_pid();
kill 'KILL', $pid;
$node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'opsagg rollup worker' AND pid <> $pid")
  or die "the worker did not come back after kill -9";
$node->safe_psql('postgres', q{UPDATE slow SET on_ = false});
converged('kill -9 mid-refresh');

# -- Immediate shutdown in the middle of a refresh.
restart_backfill();
$node->safe_psql('postgres', q{SELECT add_events(1000, interval '60 hours')});
wait_mid_refresh();
$node->stop('immediate');
$node->start;
$node->safe_psql('postgres', q{UPDATE slow SET on_ = false});
converged('pg_ctl stop -m immediate mid-refresh');

# -- SIGHUP changes the interval: at 1 hour no new cycle starts; back at 1 s they do.
$node->append_conf('postgresql.conf', "opsagg.worker_interval = '1h'");
$node->reload;
sleep(3);    # a cycle that was running ends
my $start = $node->safe_psql('postgres', q{SELECT cycle_started_at FROM ops_rollup_state});
sleep(4);
is($node->safe_psql('postgres', q{SELECT cycle_started_at FROM ops_rollup_state}),
	$start, 'opsagg.worker_interval = 1h: no new cycle');
$node->append_conf('postgresql.conf', "opsagg.worker_interval = '1s'");
$node->reload;
ok( $node->poll_query_until(
		'postgres', "SELECT cycle_started_at > '$start' FROM ops_rollup_state"),
	'opsagg.worker_interval = 1s again: cycles resume at once');

# -- A dropped source is reported; the other one goes on.
$node->safe_psql('postgres', q{DROP VIEW failure_events});
$node->safe_psql('postgres',
	q{INSERT INTO requests VALUES (now() - interval '20 hours', 'after-drop', 200, 7, false)});
ok( $node->poll_query_until(
		'postgres',
		q{SELECT source_failing AND source_error LIKE '%does not exist%' FROM ops_rollup_status
		  WHERE source = 'public.failure_events'}),
	'the dropped source is failing in ops_rollup_status');
ok( $node->poll_query_until(
		'postgres',
		q{SELECT count(*) = 1 FROM ops_metrics_hourly WHERE platform = 'after-drop'}),
	'the other source is still refreshed');
my $log = slurp_file($node->logfile);
my $warnings = () = $log =~ /source public\.failure_events failed/g;
is($warnings, 1, 'the failing source is logged once');
$node->safe_psql('postgres',
	q{SELECT ops_remove_source(source) FROM ops_sources WHERE source_name = 'public.failure_events'});

# -- A least-privilege role: reads the source, writes the rollups, nothing more.
$node->safe_psql(
	'postgres', q{
CREATE ROLE opsagg_worker LOGIN;
GRANT USAGE ON SCHEMA public TO opsagg_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON ops_metrics_hourly, ops_metrics_daily, ops_change_log TO opsagg_worker;
GRANT SELECT, UPDATE ON ops_rollup_state, ops_source_config TO opsagg_worker;
GRANT SELECT ON requests TO opsagg_worker;
});
$node->append_conf('postgresql.conf', "opsagg.worker_role = 'opsagg_worker'");
$node->reload;
ok( $node->poll_query_until(
		'postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity
		  WHERE backend_type = 'opsagg rollup worker' AND usename = 'opsagg_worker'}),
	'the worker reconnects as opsagg.worker_role');
$node->safe_psql('postgres',
	q{INSERT INTO requests VALUES (now() - interval '30 hours', 'least-privilege', 200, 9, false)});
ok( $node->poll_query_until(
		'postgres',
		q{SELECT count(*) = 1 FROM ops_metrics_hourly WHERE platform = 'least-privilege'}),
	'as a least-privilege role, a late row is folded in');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ops_rollup_status WHERE source_failing}),
	'0', 'and no source fails');
$node->safe_psql('postgres', q{REVOKE SELECT ON requests FROM opsagg_worker});
$node->safe_psql('postgres',
	q{INSERT INTO requests VALUES (now() - interval '31 hours', 'denied', 200, 9, false)});
ok( $node->poll_query_until(
		'postgres',
		q{SELECT source_failing AND source_error LIKE '%permission denied%' FROM ops_rollup_status
		  WHERE source = 'public.requests'}),
	'a source the role may not read is reported');

ok(slurp_file($node->logfile) !~ /terminated by signal (?!9)/,
	'no backend crashed (only the kill -9 above)');
$node->stop;
done_testing();
