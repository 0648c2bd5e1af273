# The ops rollup worker (src/worker.cpp) on a live server: registration, cadence and SIGHUP,
# waiting without the extension, real cycles, worker_enabled, errors and back-off, DROP
# EXTENSION, worker_role, crash restart, stop; and a server that does not preload opsagg.
#
# Run as the postgres OS user (initdb refuses root): `make installcheck` or
# `prove -I <pgxs>/src/test/perl t/001_worker.pl`. OPSAGG_TAP_PORT=N uses ports N and N+1.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# initdb refuses root; `make installcheck` as root (scripts/test.sh) skips this file.
plan skip_all => 'TAP tests cannot run as root: run them as the postgres OS user'
  if $> == 0;

my $base_port = $ENV{OPSAGG_TAP_PORT};
my $worker = q{backend_type = 'opsagg rollup worker'};

my $node = PostgreSQL::Test::Cluster->new('worker',
	defined $base_port ? (port => $base_port) : ());
$node->init;
$node->append_conf(
	'postgresql.conf', q{
shared_preload_libraries = 'opsagg'
opsagg.worker_interval = '1h'
log_line_prefix = '%m [%p] %b: '
restart_after_crash = on
});
$node->start;

sub set_and_reload
{
	my ($setting) = @_;
	$node->safe_psql('postgres', "ALTER SYSTEM SET $setting");
	$node->reload;
}

# The start of the worker's last transaction: every cycle runs at least one.
sub last_cycle_start
{
	return $node->safe_psql('postgres',
		"SELECT query_start FROM pg_stat_activity WHERE $worker");
}

sub wait_for_next_cycle
{
	my ($after) = @_;
	$node->poll_query_until('postgres',
		"SELECT query_start > '$after' FROM pg_stat_activity WHERE $worker")
	  or die "no worker cycle after $after";
	return last_cycle_start();
}

sub seconds_between
{
	my ($from, $to) = @_;
	return $node->safe_psql('postgres',
		"SELECT extract(epoch FROM '$to'::timestamptz - '$from'::timestamptz)");
}

sub worker_lines
{
	my ($offset, $pattern) = @_;
	my $log = PostgreSQL::Test::Utils::slurp_file($node->logfile, $offset);
	return scalar(() = $log =~ /opsagg rollup worker: $pattern/g);
}

# Registration: one worker, visible under its name, connected to opsagg.database.
ok( $node->poll_query_until(
		'postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE $worker
		   AND application_name = 'opsagg rollup worker' AND datname = 'postgres'"),
	'worker visible in pg_stat_activity with its backend_type and application_name');

# No extension yet: one LOG line when the waiting begins, nothing else, however many cycles.
$node->wait_for_log(qr/extension "opsagg" is not installed in database "postgres", waiting/);
my $first = last_cycle_start();

# opsagg.worker_interval is 1h: a reload that sets 1s must wake the worker now.
set_and_reload(q{opsagg.worker_interval = '1s'});
my $second = wait_for_next_cycle($first);
pass('a reload of opsagg.worker_interval takes effect at once');
my $third = wait_for_next_cycle($second);
my $fourth = wait_for_next_cycle($third);
cmp_ok(seconds_between($third, $fourth), '>=', 0.9, 'cycles 1s apart');
set_and_reload(q{opsagg.worker_interval = '3s'});
my $fifth = wait_for_next_cycle(wait_for_next_cycle($fourth));
my $sixth = wait_for_next_cycle($fifth);
cmp_ok(seconds_between($fifth, $sixth), '>=', 2.9, 'cycles 3s apart after a reload');
is(worker_lines(0, 'LOG:  .*waiting'), 1, 'one LOG line while waiting for the extension');
is(worker_lines(0, '(WARNING|ERROR)'), 0, 'no warning or error without the extension');
set_and_reload(q{opsagg.worker_interval = '1s'});

# Invalid interval settings are refused with a reason (the limits the SQL side applies).
my %refused = (
	'1 month' => 'Months and years are not allowed',
	'P1Y' => 'Months and years are not allowed',
	'-1 day' => 'The interval must be positive',
	'0' => 'The interval must be positive',
	'soon' => '"soon" is not a valid interval',
	'' => 'The value must be a positive interval',
	'12 hours' => 'A retention must be at least 1 day',
	'40000000 days' => 'is too long');
for my $bad (sort keys %refused)
{
	my ($ret, $stdout, $stderr) = $node->psql('postgres',
		"ALTER SYSTEM SET opsagg.hourly_retention = '$bad'");
	like(
		$stderr,
		qr/invalid value for parameter "opsagg.hourly_retention".*\n.*DETAIL:  .*\Q$refused{$bad}\E/,
		"opsagg.hourly_retention = '$bad' refused");
}
$node->safe_psql('postgres', q{ALTER SYSTEM SET opsagg.backfill = '12 hours'});
$node->safe_psql('postgres', q{ALTER SYSTEM SET opsagg.daily_retention = 'P1D'});
$node->safe_psql('postgres', 'ALTER SYSTEM RESET opsagg.backfill');
$node->safe_psql('postgres', 'ALTER SYSTEM RESET opsagg.daily_retention');

# Real cycles: a source and rows of the last hours are rolled up.
$node->safe_psql(
	'postgres', q{
CREATE TABLE events (occurred_at timestamptz, platform text, status_code int,
                     latency_ms float8, is_timeout boolean);
INSERT INTO events
SELECT now() - i * interval '1 minute', CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END,
       CASE WHEN i % 10 = 0 THEN 503 ELSE 200 END, i % 97, false
FROM generate_series(1, 300) AS i;
CREATE EXTENSION opsagg;
SELECT ops_add_source('events');
});
my $rolled_up = q{SELECT (SELECT coalesce(sum(request_count), 0) FROM ops_metrics_hourly)
                       = (SELECT count(*) FROM events)};
ok($node->poll_query_until('postgres', $rolled_up), 'the worker rolls up a new source');
ok( $node->poll_query_until(
		'postgres',
		'SELECT last_cycle_end IS NOT NULL AND last_error IS NULL FROM ops_rollup_status'),
	'cycles end without error');

# A late row in an aggregated hour is counted at the next cycle.
my $late = q{INSERT INTO events VALUES (now() - interval '2 hours', 'a', 200, 5, false)};
$node->safe_psql('postgres', $late);
ok($node->poll_query_until('postgres', $rolled_up), 'a late row is rolled up');

# opsagg.worker_enabled = off: no cycle; on again: it catches up.
set_and_reload('opsagg.worker_enabled = off');
sleep 2;    # a cycle may have been running
my $stopped_at = $node->safe_psql('postgres',
	'SELECT cycle_started_at FROM ops_rollup_state');
$node->safe_psql('postgres', $late);
sleep 4;
is($node->safe_psql('postgres', 'SELECT cycle_started_at FROM ops_rollup_state'),
	$stopped_at, 'no cycle while opsagg.worker_enabled is off');
set_and_reload('opsagg.worker_enabled = on');
ok($node->poll_query_until('postgres', $rolled_up),
	'cycles resume when opsagg.worker_enabled is on');

# An error of the cycle: recorded, logged once, retried with a growing delay.
my $offset = -s $node->logfile;
$node->safe_psql('postgres',
	'ALTER FUNCTION ops_plan_step(timestamptz, timestamptz, interval, interval, interval, '
	  . 'integer, timestamptz[]) RENAME TO ops_plan_step_away');
ok( $node->poll_query_until(
		'postgres',
		q{SELECT last_error LIKE '%ops_plan_step%does not exist' FROM ops_rollup_status}),
	'the error is recorded in ops_rollup_status');
my $error_at = q{SELECT last_error_at FROM ops_rollup_state};
my @attempts = ($node->safe_psql('postgres', $error_at));
for (1 .. 2)
{
	$node->poll_query_until('postgres',
		"SELECT last_error_at > '$attempts[-1]' FROM ops_rollup_state")
	  or die 'the failing cycle was not retried';
	push @attempts, $node->safe_psql('postgres', $error_at);
}
my $gap1 = seconds_between($attempts[0], $attempts[1]);
my $gap2 = seconds_between($attempts[1], $attempts[2]);
cmp_ok($gap1, '>=', 1.9, "retried after twice the interval or more ($gap1 s)");
cmp_ok($gap2, '>=', 1.5 * $gap1, "the retry delay grows ($gap1 s, then $gap2 s)");
is(worker_lines($offset, 'WARNING:  opsagg rollup worker: function .*ops_plan_step'),
	1, 'the error is logged once');
$node->safe_psql('postgres',
	'ALTER FUNCTION ops_plan_step_away(timestamptz, timestamptz, interval, interval, interval, '
	  . 'integer, timestamptz[]) RENAME TO ops_plan_step');
# The delay is at most 8 s by now (1 s interval): the next cycle succeeds.
ok( $node->poll_query_until(
		'postgres',
		'SELECT cycle_ended_at > last_error_at FROM ops_rollup_state'),
	'the worker recovers once the error is gone');

# DROP EXTENSION: the worker goes back to waiting, quietly.
$offset = -s $node->logfile;
$node->safe_psql('postgres', 'DROP EXTENSION opsagg CASCADE');    # and the triggers
$node->wait_for_log(qr/extension "opsagg" is not installed in database "postgres", waiting/,
	$offset);
wait_for_next_cycle(wait_for_next_cycle(last_cycle_start()));
is(worker_lines($offset, 'LOG:  .*waiting'), 1, 'one LOG line after DROP EXTENSION');
is(worker_lines($offset, '(WARNING|ERROR)'), 0, 'no warning or error after DROP EXTENSION');

# A new opsagg.worker_role restarts the worker under that role.
$node->safe_psql('postgres', 'CREATE ROLE rollup LOGIN');
set_and_reload(q{opsagg.worker_role = 'rollup'});
ok( $node->poll_query_until(
		'postgres', "SELECT usename = 'rollup' FROM pg_stat_activity WHERE $worker"),
	'the worker reconnects as the new opsagg.worker_role');
$node->safe_psql('postgres', 'ALTER SYSTEM RESET opsagg.worker_role');
$node->reload;
ok( $node->poll_query_until(
		'postgres', "SELECT usename = 'postgres' FROM pg_stat_activity WHERE $worker"),
	'and as the bootstrap superuser when the setting is reset');

# kill -9: the postmaster restarts every backend, the worker too.
my $pid = $node->safe_psql('postgres', "SELECT pid FROM pg_stat_activity WHERE $worker");
kill 'KILL', $pid;
ok( $node->poll_query_until(
		'postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE $worker AND pid <> $pid"),
	'the worker is back after kill -9');

# SIGTERM on shutdown: a fast stop does not wait for the worker's interval.
set_and_reload(q{opsagg.worker_interval = '1h'});
my $t0 = time;
$node->stop('fast');
cmp_ok(time - $t0, '<', 30, 'fast shutdown is prompt');

# Without shared_preload_libraries: no worker, but the extension and the settings work.
my $plain = PostgreSQL::Test::Cluster->new('plain',
	defined $base_port ? (port => $base_port + 1) : ());
$plain->init;
$plain->start;
$plain->safe_psql('postgres', 'CREATE EXTENSION opsagg');
ok( $plain->safe_psql('postgres',
		'SELECT approx_percentile(0.5, latency_sketch(x)) BETWEEN 49 AND 52 '
		  . 'FROM generate_series(1, 100) AS x') eq 't',
	'aggregates work without shared_preload_libraries');
is($plain->safe_psql('postgres', "LOAD 'opsagg'; SHOW opsagg.daily_retention"),
	'400 days', 'the settings exist once the library is loaded');
is($plain->safe_psql('postgres', "SELECT count(*) FROM pg_stat_activity WHERE $worker"),
	'0', 'no worker without shared_preload_libraries');
$plain->stop;

done_testing();
