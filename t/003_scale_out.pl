# Scale-out over postgres_fdw: two shards and a coordinator on this machine (Unix sockets).
# The shards hold heartbeats and raw request events; the coordinator's partitioned tables have
# the shards' tables as foreign partitions (by service, by platform). Shown here:
#  - heartbeat_agg, latency_sketch and labels_canonical grouped by the partition key run on
#    the shards (EXPLAIN VERBOSE: "Aggregate on" foreign scans), and rollup() of the shards'
#    values on the coordinator equals the same aggregate over all rows on one server (`=`);
#  - the rollup worker on each shard; the shards' rollup tables merged on the coordinator
#    equal one server's rollup of all events; ops_metrics / ops_metrics_series on the
#    coordinator, reading the shards' rollups registered with ops_add_remote_rollup, equal
#    the same functions on one server, also with late rows the shard has not rolled up yet;
#  - text forms do not depend on TimeZone, DateStyle or IntervalStyle: every node runs with
#    other settings, and values move between sessions and servers as text.
# "One server" is the database `single` on the coordinator's node: all events, no shards.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# initdb refuses root: scripts/test.sh runs this file as the postgres OS user.
plan skip_all => 'TAP tests cannot run as root: run them as the postgres OS user'
  if $> == 0;

# Each node its own settings: the values must not care.
my %settings = (
	shard1 => q{TimeZone = 'America/New_York'
DateStyle = 'SQL, DMY'
IntervalStyle = 'sql_standard'},
	shard2 => q{TimeZone = 'Asia/Kolkata'
DateStyle = 'German, DMY'
IntervalStyle = 'iso_8601'},
	coordinator => q{TimeZone = 'Pacific/Chatham'
DateStyle = 'Postgres, MDY'
IntervalStyle = 'postgres_verbose'
enable_partitionwise_aggregate = on},);

my %node;
for my $name (qw(shard1 shard2 coordinator))
{
	my $n = PostgreSQL::Test::Cluster->new($name);
	$n->init;
	$n->append_conf(
		'postgresql.conf', qq{
shared_preload_libraries = 'opsagg'
opsagg.worker_interval = '1s'
$settings{$name}
});
	$n->start;
	$node{$name} = $n;
}
my ($shard1, $shard2, $coord) = @node{qw(shard1 shard2 coordinator)};

# Every row is a function of its number, so the shards and `single` hold the same rows.
# The events lie in the 72 hours before $anchor (a minute ago, so the current hour is open).
my $anchor = $coord->safe_psql('postgres',
	q{SELECT to_char((now() - interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')});
my $events_sql = qq{
CREATE TABLE events (occurred_at timestamptz NOT NULL, platform text, status_code integer,
                     latency_ms double precision, is_timeout boolean, labels jsonb);
CREATE INDEX ON events (occurred_at);
CREATE TABLE heartbeats (service text NOT NULL, ts timestamptz NOT NULL);
CREATE FUNCTION event_rows(keep text) RETURNS SETOF events LANGUAGE sql AS \$\$
    SELECT e.* FROM (
        SELECT '$anchor'::timestamptz - interval '72 hours' + ((i * 7919) % 259200) * interval '1 second'
                   + (i % 1000) * interval '1 microsecond',
               (ARRAY['anthropic', 'anthropic', 'anthropic', 'openai', 'gemini', '', NULL])[1 + i % 7],
               CASE WHEN i % 17 = 0 THEN 503 WHEN i % 11 = 0 THEN 429 WHEN i % 29 = 0 THEN NULL ELSE 200 END,
               CASE WHEN i % 13 = 0 THEN NULL ELSE ((i * 104729) % 50000) / 7.0 + 0.5 END,
               CASE WHEN i % 31 = 0 THEN NULL ELSE i % 23 = 0 END,
               CASE i % 3 WHEN 0 THEN jsonb_build_object('region', 'eu', 'tier', i % 2)
                          WHEN 1 THEN jsonb_build_object('tier', i % 2, 'region', 'eu')
                          ELSE jsonb_build_object('region', 'us') END
        FROM generate_series(1::bigint, 30000) AS i) AS e(occurred_at, platform, status_code, latency_ms, is_timeout, labels)
    WHERE keep = 'all' OR (keep = 'anthropic') = (e.platform IS NOT DISTINCT FROM 'anthropic')
\$\$;
-- Services api and web beat every 30 s on shard1, db and queue every 45 s on shard2, with outages.
CREATE FUNCTION heartbeat_rows(keep text) RETURNS SETOF heartbeats LANGUAGE sql AS \$\$
    SELECT s, '$anchor'::timestamptz - interval '72 hours' + k * p * interval '1 second'
    FROM (VALUES ('api', 30, 1), ('web', 30, 1), ('db', 45, 2), ('queue', 45, 2)) AS v(s, p, shard),
         generate_series(0, 72 * 3600 / p - 1) AS k
    WHERE (keep = 'all' OR keep = 'shard' || shard)
      AND NOT (s = 'api' AND k BETWEEN 2000 AND 2100) AND NOT (s = 'db' AND k % 997 BETWEEN 0 AND 9)
\$\$;
};
# Each shard its events and heartbeats; one server (database `single` of the coordinator's
# node) every row. No worker runs on `single`: ops_metrics reads its sources there, and
# ops_refresh fills its rollup tables.
$coord->safe_psql('postgres', 'CREATE DATABASE single');
for my $holder ([ $shard1, 'postgres', 'anthropic', 'shard1' ], [ $shard2, 'postgres', 'others', 'shard2' ],
	[ $coord, 'single', 'all', 'all' ])
{
	my ($n, $db, $events, $heartbeats) = @$holder;
	$n->safe_psql(
		$db, qq{
CREATE EXTENSION opsagg;
$events_sql
INSERT INTO events SELECT * FROM event_rows('$events');
INSERT INTO heartbeats SELECT * FROM heartbeat_rows('$heartbeats');
SELECT ops_add_source('events');
});
}

# The coordinator, set up as README "Scaling out" says: one foreign server per shard (and one
# for `single`, to compare in SQL; the shards' sessions log their statements for the checks
# below), partitioned tables with the shards' tables as partitions.
my $servers = '';
for my $target ([ 'shard1', $shard1, 'postgres' ], [ 'shard2', $shard2, 'postgres' ],
	[ 'single', $coord, 'single' ])
{
	my ($name, $n, $db) = @$target;
	$servers .= sprintf(
		q{
CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '%s', port '%d', dbname '%s', extensions 'opsagg', async_capable 'true',
             options '-c log_statement=all');
CREATE USER MAPPING FOR CURRENT_USER SERVER %s;
CREATE SCHEMA %s;
IMPORT FOREIGN SCHEMA public LIMIT TO (ops_metrics_hourly, ops_metrics_daily, ops_rollup_coverage_all, events,
    heartbeats) FROM SERVER %s INTO %s;
}, $name, $n->host, $n->port, $db, $name, $name, $name, $name);
}
$coord->safe_psql(
	'postgres', qq{
CREATE EXTENSION opsagg;
CREATE EXTENSION postgres_fdw;
$servers
CREATE TABLE events (occurred_at timestamptz NOT NULL, platform text, status_code integer,
                     latency_ms double precision, is_timeout boolean, labels jsonb)
    PARTITION BY LIST (platform);
CREATE FOREIGN TABLE events_shard1 PARTITION OF events FOR VALUES IN ('anthropic')
    SERVER shard1 OPTIONS (table_name 'events', use_remote_estimate 'true');
CREATE FOREIGN TABLE events_shard2 PARTITION OF events FOR VALUES IN ('openai', 'gemini', '', NULL)
    SERVER shard2 OPTIONS (table_name 'events', use_remote_estimate 'true');
CREATE TABLE heartbeats (service text NOT NULL, ts timestamptz NOT NULL) PARTITION BY LIST (service);
CREATE FOREIGN TABLE heartbeats_shard1 PARTITION OF heartbeats FOR VALUES IN ('api', 'web')
    SERVER shard1 OPTIONS (table_name 'heartbeats');
CREATE FOREIGN TABLE heartbeats_shard2 PARTITION OF heartbeats FOR VALUES IN ('db', 'queue')
    SERVER shard2 OPTIONS (table_name 'heartbeats');
ANALYZE events, heartbeats;
});

is( $coord->safe_psql('postgres',
		q{SELECT (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM single.events)
		      || ' ' || (SELECT count(*) FROM heartbeats) || ' ' || (SELECT count(*) FROM single.heartbeats)}),
	$coord->safe_psql('postgres', q{SELECT '30000 30000 ' || n || ' ' || n FROM
		  (SELECT count(*) AS n FROM single.heartbeats) AS h}),
	'the shards together hold the rows of the single server');

# --- 1. aggregates pushed to the shards, grouped by the partition key ------------------------

# A constant start: `timestamptz - interval` is STABLE (it depends on TimeZone), and
# postgres_fdw ships no expression that is not immutable.
my $start = $coord->safe_psql('postgres',
	qq{SELECT to_char(('$anchor'::timestamptz - interval '72 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')});
my $window = qq{'$start'::timestamptz, interval '73 hours'};
my %pushed = (
	heartbeat_agg => qq{SELECT service, heartbeat_agg(ts, $window, interval '2 minutes') FROM heartbeats
	                    GROUP BY service},
	latency_sketch => q{SELECT platform, latency_sketch(latency_ms), count(*) FROM events GROUP BY platform},
	labels_canonical => q{SELECT platform, labels_canonical(labels), count(*) FROM events GROUP BY 1, 2},);
for my $what (sort keys %pushed)
{
	my $plan = $coord->safe_psql('postgres', "EXPLAIN (VERBOSE, COSTS OFF) $pushed{$what}");
	note("$pushed{$what}\n$plan");
	my $aggregate_scans = () = $plan =~ /Relations: Aggregate on/g;
	my $remote_calls = () = $plan =~ /Remote SQL: SELECT .*public\.\Q$what\E\(.*GROUP BY/g;
	ok($aggregate_scans == 2 && $remote_calls == 2 && $plan !~ /^\s*(?:->\s*)?(?:Partial )?(?:Hash|Group)Aggregate/m,
		"$what grouped by the partition key runs on both shards")
	  or diag($plan);
}

# rollup() of the shards' per-service (per-platform) values equals the aggregate over all
# rows of one server (`=`). One server's value is computed there, and read here as text.
my $hb_single = $coord->safe_psql('single',
	"SELECT heartbeat_agg(ts, $window, interval '2 minutes') FROM heartbeats");
my $equal = $coord->safe_psql(
	'postgres', qq{
SELECT (SELECT rollup(hb) FROM ($pushed{heartbeat_agg}) AS s(service, hb)) = '$hb_single'::heartbeat_agg,
       (SELECT rollup(sk) FROM (SELECT platform, latency_sketch(latency_ms) FROM events GROUP BY platform)
                               AS s(platform, sk))
       = (SELECT latency_sketch(latency_ms) FROM single.events),
       (SELECT array_agg(l ORDER BY l) FROM (SELECT DISTINCT labels_canonical(labels) AS l
                                             FROM events GROUP BY platform, labels_canonical(labels)) AS s)
       = (SELECT array_agg(DISTINCT labels_canonical(labels) ORDER BY labels_canonical(labels))
          FROM single.events),
       (SELECT uptime(rollup(hb)) FROM ($pushed{heartbeat_agg}) AS s(service, hb)) = interval '73 hours'
                                  - (SELECT downtime(heartbeat_agg(ts, $window, interval '2 minutes'))
                                     FROM single.heartbeats)});
is($equal, 't|t|t|t', 'rollup of the shards\' values equals the aggregate over all rows on one server');

# postgres_fdw (15.18) writes a constant inside a pushed-down aggregate in the session's
# DateStyle, and the shard reads it in its own field order: ISO and Postgres output are
# unambiguous (README, "Scaling out"). With either, in either order, the window is the same.
for my $style ('ISO, DMY', 'Postgres, DMY', 'ISO, YMD')
{
	is( $coord->safe_psql(
			'postgres', qq{SET DateStyle = '$style';
SELECT (SELECT rollup(hb) FROM ($pushed{heartbeat_agg}) AS s(service, hb)) = '$hb_single'::heartbeat_agg}),
		't', "pushed heartbeat_agg from a session in DateStyle $style");
}

# --- 2. the worker on each shard; merged rollups on the coordinator --------------------------

sub caught_up
{
	my ($n) = @_;
	return $n->poll_query_until('postgres',
		q{SELECT rolled_to >= date_bin('1 hour', now(), '2000-01-01 00:00:00+00')
		         AND cardinality(dirty_starts) = 0 FROM ops_rollup_coverage_all});
}
ok(caught_up($shard1) && caught_up($shard2), 'the worker rolled up each shard\'s events');

# One server's rollup of all events: the same hours, by ops_refresh.
$coord->safe_psql('single',
	qq{SELECT ops_refresh('$anchor'::timestamptz - interval '73 hours', date_bin('1 hour', now(), '2000-01-01'))});

# The view the README shows: the shards' hourly rows merged per hour and platform.
$coord->safe_psql(
	'postgres', q{
CREATE VIEW ops_metrics_hourly_shards AS
SELECT bucket_start, platform, sum(request_count)::bigint AS request_count,
       sum(error_count)::bigint AS error_count, sum(timeout_count)::bigint AS timeout_count,
       sum(latency_sample_count)::bigint AS latency_sample_count, max(max_latency_ms) AS max_latency_ms,
       rollup(latency) AS latency, approx_percentile(0.99, rollup(latency)) AS p99_latency_ms
FROM (SELECT * FROM shard1.ops_metrics_hourly UNION ALL SELECT * FROM shard2.ops_metrics_hourly) AS h
GROUP BY bucket_start, platform;
});
like( $coord->safe_psql(
		'postgres', qq{
WITH one AS (SELECT * FROM single.ops_metrics_hourly WHERE bucket_start < date_bin('1 hour', now(), '2000-01-01')),
     shards AS (SELECT * FROM ops_metrics_hourly_shards
                WHERE bucket_start >= '$anchor'::timestamptz - interval '73 hours'
                  AND bucket_start < date_bin('1 hour', now(), '2000-01-01')),
     per_hour AS (
         SELECT s.bucket_start, rollup(s.latency) AS shards, (SELECT rollup(o.latency) FROM one AS o
                                                              WHERE o.bucket_start = s.bucket_start) AS one
         FROM shards AS s GROUP BY 1)
SELECT count(*) FILTER (WHERE (o.request_count, o.error_count, o.timeout_count, o.latency_sample_count,
                                o.max_latency_ms, o.p99_latency_ms)
                               IS DISTINCT FROM
                               (s.request_count, s.error_count, s.timeout_count, s.latency_sample_count,
                                s.max_latency_ms, s.p99_latency_ms)
                            OR NOT COALESCE(o.latency = s.latency, o.latency IS NULL AND s.latency IS NULL))
       || ' of ' || count(*) || ' rows, '
       || (SELECT count(*) FILTER (WHERE NOT COALESCE(shards = one, shards IS NULL AND one IS NULL)) FROM per_hour)
       || ' of ' || (SELECT count(*) FROM per_hour) || ' merged hours differ'
FROM one AS o FULL JOIN shards AS s USING (bucket_start, platform)}),
	qr/^0 of [1-9][0-9]* rows, 0 of 7[23] merged hours differ$/,
	'the shards\' hourly rollups merged equal one server\'s rollup of all events');

$coord->safe_psql('postgres',
	q{SELECT ops_add_remote_rollup('shard1', 'events_shard1'); SELECT ops_add_remote_rollup('shard2', 'events_shard2')});

# ops_metrics and ops_metrics_series, on the coordinator and on one server.
my @ranges = (
	[ 'all 72 hours and the open hour', qq{'$anchor'::timestamptz - interval '73 hours', '$anchor'::timestamptz + interval '30 seconds'} ],
	[ 'edges inside hours', qq{'$anchor'::timestamptz - interval '50 hours 17 minutes', '$anchor'::timestamptz - interval '3 hours 41 minutes'} ],
	[ 'one UTC day', qq{date_trunc('day', '$anchor'::timestamptz - interval '30 hours', 'UTC'), date_trunc('day', '$anchor'::timestamptz - interval '30 hours', 'UTC') + interval '1 day'} ],);
sub metrics_queries
{
	my @queries;
	for my $range (@ranges)
	{
		my ($name, $args) = @$range;
		for my $platform ('NULL', q{'anthropic'}, q{'gemini'}, q{''})
		{
			push @queries,
			  [ "ops_metrics, $name, platform $platform",
				"SELECT platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
				        timeout_count, error_rate, avg_latency_ms, p50_latency_ms,
				        p90_latency_ms, p95_latency_ms, p99_latency_ms, max_latency_ms, latency_sample_count
				 FROM ops_metrics($args, $platform) ORDER BY platform NULLS LAST" ];
		}
		for my $bucket ('1 hour', '6 hours', '1 day')
		{
			push @queries,
			  [ "ops_metrics_series, $name, $bucket",
				"SELECT bucket_start, platform, request_count, error_count, timeout_count,
				        avg_latency_ms, p99_latency_ms, max_latency_ms, request_count_prev,
				        p99_latency_ms_prev, request_count_change_pct
				 FROM ops_metrics_series($args, '$bucket') ORDER BY 1, 2 NULLS LAST" ];
		}
	}
	return @queries;
}

# Whether two results are equal, field by field; numbers within 1e-9 relative (the mean is
# a float sum whose last bits depend on the order of the rows; counts are integers, so any
# difference in them shows).
sub same_result
{
	my ($a, $b) = @_;
	my @a = split /[|\n]/, $a, -1;
	my @b = split /[|\n]/, $b, -1;
	return 0 unless @a == @b && @a > 1;
	for my $i (0 .. $#a)
	{
		next if $a[$i] eq $b[$i];
		return 0 unless $a[$i] =~ /^-?[0-9.e+-]+$/ && $b[$i] =~ /^-?[0-9.e+-]+$/;
		return 0 if abs($a[$i] - $b[$i]) > 1e-9 * abs($b[$i]);
	}
	return 1;
}

# Every query equal on the coordinator and on one server; returns the differing names.
sub differing_queries
{
	my ($settings) = @_;
	$settings //= '';
	my @differ;
	for my $q (metrics_queries())
	{
		my ($name, $sql) = @$q;
		my $sharded = $coord->safe_psql('postgres', "$settings $sql");
		my $single = $coord->safe_psql('single', "$settings $sql");
		push @differ, "$name:\n$sharded\n---- one server:\n$single" unless same_result($sharded, $single);
	}
	return @differ;
}

my $log_offset = -s $shard1->logfile;
my @differ = differing_queries();
is(scalar(@differ), 0, 'ops_metrics on the coordinator over the shards\' rollups equals one server\'s')
  or diag(join("\n", @differ));

# A session whose dates the shards would read wrongly (day and month swapped: they read
# DMY) gets the same figures: ops_metrics sends its constants in ISO style.
@differ = differing_queries(q{SET DateStyle = 'SQL, MDY'; SET IntervalStyle = 'sql_standard';});
is(scalar(@differ), 0, 'the same from a coordinator session in DateStyle SQL, MDY')
  or diag(join("\n", @differ));

# What the coordinator asked shard1 for (its sessions log their statements): only the planned
# days, hours and event spans, selected on the shard.
# (A logged statement continues on lines that start with a tab.)
my @remote = grep { /DECLARE c\d+ CURSOR FOR/ } split /\n(?!\t)/,
  slurp_file($shard1->logfile, $log_offset);
my %reads = (
	'daily rows' => qr/FROM public\.ops_metrics_daily WHERE \(\(bucket_date = ANY \('\{[^}]+\}'::date\[\]\)\)\)/,
	'hourly rows' => qr/FROM public\.ops_metrics_hourly WHERE \(\(bucket_start = ANY \('\{[^}]+\}'::timestamp with time zone\[\]\)\)\)/,
	# the events of the edge spans, or their figures aggregated there (one sketch per bucket and
	# platform): the planner takes whichever its estimates make cheaper
	'edge spans' => qr/SELECT .* FROM public\.events WHERE \(\(\(\(occurred_at >= '[^']+'\) AND \(occurred_at < '[^']+'\)\)/s,);
for my $what (sort keys %reads)
{
	ok((grep { /$reads{$what}/ } @remote), "shard1 selects the $what the coordinator reads")
	  or diag(join("\n", @remote[0 .. 9]));
}
is(scalar(grep { /FROM public\.(?:ops_metrics_\w+|events)(?: WHERE .*)?$/ && !/ WHERE / } @remote),
	0, 'no whole table of shard1 is read');

# The coordinator read whole days and hours from the shards' rollups, edges from their events.
my $parts = $coord->safe_psql(
	'postgres', qq{
SELECT cardinality(p.days) > 0, cardinality(p.hours) > 0, cardinality(p.raw_starts)
FROM shard1.ops_rollup_coverage_all AS c,
     ops_plan_metrics('$anchor'::timestamptz - interval '73 hours', now(), NULL, NULL, c.rolled_from, c.rolled_to,
                      c.hourly_from, c.daily_from, c.dirty_starts, c.dirty_ends) AS p});
is($parts, 't|t|2', 'each shard\'s part: days and hours from its rollups, two raw edges');

# Late rows on shard1 while its worker is off: its coverage marks the hour dirty, so the
# coordinator reads that hour raw and still equals one server with the same rows.
$shard1->safe_psql('postgres', q{ALTER SYSTEM SET opsagg.worker_enabled = off; SELECT pg_reload_conf()});
my $late = qq{INSERT INTO events (occurred_at, platform, status_code, latency_ms, is_timeout)
              SELECT '$anchor'::timestamptz - interval '40 hours' + i * interval '1 second', 'anthropic',
                     CASE WHEN i % 2 = 0 THEN 500 ELSE 200 END, 90000 + i, false
              FROM generate_series(1, 200) AS i};
$shard1->safe_psql('postgres', $late);
$coord->safe_psql('single', $late);
is($shard1->safe_psql('postgres', 'SELECT cardinality(dirty_starts) > 0 FROM ops_rollup_coverage_all'),
	't', 'the late rows are pending on shard1');
@differ = differing_queries();
is(scalar(@differ), 0, 'with late rows pending on a shard, the coordinator still equals one server')
  or diag(join("\n", @differ));

$shard1->safe_psql('postgres', q{ALTER SYSTEM RESET opsagg.worker_enabled; SELECT pg_reload_conf()});
ok(caught_up($shard1), 'shard1 rolled up the late rows');
@differ = differing_queries();
is(scalar(@differ), 0, 'after the shard\'s next cycle, the coordinator equals one server')
  or diag(join("\n", @differ));

# --- 3. text forms independent of TimeZone, DateStyle and IntervalStyle -----------------------

# The same values printed on shard1 in sessions with other settings: the same text.
my $values = qq{SELECT heartbeat_agg(ts, $window, interval '2 minutes')::text || ' ' || latency_sketch(e.latency_ms)::text
                FROM heartbeats, (SELECT latency_ms FROM events WHERE occurred_at < '$anchor'::timestamptz - interval '71 hours') AS e};
my $values_single = $values;
my @texts = map {
	$shard1->safe_psql('postgres', "SET TimeZone = '$_->[0]'; SET DateStyle = '$_->[1]'; SET IntervalStyle = '$_->[2]';
	                                SELECT md5(($values)::text)")
} ([ 'UTC', 'ISO, MDY', 'postgres' ], [ 'Australia/Lord_Howe', 'German', 'iso_8601' ],
	[ 'America/St_Johns', 'SQL, DMY', 'sql_standard' ]);
is(scalar(keys %{ { map { $_ => 1 } @texts } }), 1, 'a value prints the same under any TimeZone, DateStyle, IntervalStyle');

# A heartbeat_agg printed on shard1 (New York, SQL dates), read on the coordinator (Chatham,
# Postgres dates) and on shard2 (Kolkata, German dates) equals the value computed there.
my $hb_sql = qq{heartbeat_agg(ts, $window, interval '2 minutes')};
my $hb_text = $shard1->safe_psql('postgres', "SELECT $hb_sql FROM heartbeats");
my $sk_text = $shard1->safe_psql('postgres', 'SELECT latency_sketch(latency_ms) FROM events');
is( $coord->safe_psql('postgres',
		qq{SET TimeZone = 'Europe/Dublin'; SET IntervalStyle = 'iso_8601';
		   SELECT '$hb_text'::heartbeat_agg = (SELECT $hb_sql FROM heartbeats_shard1),
		          '$sk_text'::latency_sketch = (SELECT latency_sketch(latency_ms) FROM events_shard1),
		          '$hb_text'::heartbeat_agg = (SELECT $hb_sql FROM single.heartbeats WHERE service IN ('api', 'web'))}),
	't|t|t', 'text printed on shard1 reads back on the coordinator as the same values');
my $samples = $shard1->safe_psql('postgres', 'SELECT count(latency_ms) FROM events');
is( $shard2->safe_psql('postgres',
		qq{SELECT '$hb_text'::heartbeat_agg::text = '$hb_text', '$sk_text'::latency_sketch::text = '$sk_text',
		          uptime('$hb_text'::heartbeat_agg) = interval '73 hours' - downtime('$hb_text'::heartbeat_agg),
		          num_vals('$sk_text'::latency_sketch) = $samples}),
	't|t|t|t', 'and on shard2 (Kolkata, German dates, ISO 8601 intervals) prints back unchanged');

# Values written through postgres_fdw (sent as text by the coordinator) land unchanged.
$shard2->safe_psql('postgres',
	'CREATE TABLE stored (name text, hb heartbeat_agg, sketch latency_sketch)');
$coord->safe_psql(
	'postgres', qq{
IMPORT FOREIGN SCHEMA public LIMIT TO (stored) FROM SERVER shard2 INTO shard2;
INSERT INTO shard2.stored SELECT 'from coordinator', rollup(hb), NULL
FROM ($pushed{heartbeat_agg}) AS s(service, hb);
INSERT INTO shard2.stored SELECT 'sketch', NULL, latency_sketch(latency_ms) FROM events;
});
is( $coord->safe_psql(
		'postgres', qq{
SELECT (SELECT hb FROM shard2.stored WHERE name = 'from coordinator')
       = (SELECT $hb_sql FROM single.heartbeats),
       (SELECT sketch FROM shard2.stored WHERE name = 'sketch') = (SELECT latency_sketch(latency_ms) FROM single.events)}),
	't|t', 'values written to a shard through postgres_fdw read back equal');

# No backend of any node crashed.
for my $n ($shard1, $shard2, $coord)
{
	my $log = slurp_file($n->logfile);
	unlike($log, qr/terminated by signal|was terminated by exception/, $n->name . ': no backend crashed');
}

$_->stop for ($shard1, $shard2, $coord);
done_testing();
