#!/usr/bin/perl
# bench/scale: what the coordinator sends the shards, from auto_explain's JSON plans (psql's
# NOTICE output, on stdin) of one query and the statements it ran inside
# (log_nested_statements, log_verbose, log_analyze): every Foreign Scan, in plan order, with
# the relations it reads or the join / aggregate it ships, whether it ran asynchronously, the
# rows it fetched, its time, and its Remote SQL (long array literals shortened to their
# length). Then one line: remote queries, rows fetched, in how many statements.
#   perl remote_sql.pl LABEL < notices
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use AutoExplain qw(logged_statements);

my $label = shift // 'query';
my @stmts = logged_statements($label);

sub shorten {
    my ($sql) = @_;
    # '{a,b,c}'::type[] -> '{3 values}'::type[]
    $sql =~ s/'\{([^']*)\}'(::[a-z ]+\[\])/my @v = split m{,}, $1; "'{" . scalar(@v) . " values}'$2"/ge;
    return $sql;
}

my @scans;
sub walk {
    my ($n, $stmt) = @_;
    if (defined $n->{'Remote SQL'}) {
        my $what = $n->{Relations}
            // join('.', grep { defined } $n->{Schema}, $n->{'Relation Name'}) . (defined $n->{Alias} ? " $n->{Alias}" : '');
        push @scans, {
            stmt => $stmt,
            type => ($n->{'Async Capable'} ? 'Async ' : '') . $n->{'Node Type'},
            what => $what,
            rows => ($n->{'Actual Rows'} // 0) * ($n->{'Actual Loops'} // 1),
            ms => $n->{'Actual Total Time'} // 0,
            sql => shorten($n->{'Remote SQL'}),
        };
    }
    walk($_, $stmt) for @{ $n->{Plans} // [] };
}
walk($stmts[$_]{plan}, $_) for 0 .. $#stmts;

my $outer = $stmts[-1]{ms};
printf "  %s: %.1f ms instrumented, %d statements logged\n", $label, $outer, scalar @stmts;
my %in_stmt;
my $rows = 0;
for my $s (@scans) {
    $in_stmt{ $s->{stmt} }++;
    $rows += $s->{rows};
    # An async node's time is when the coordinator collected its rows, not the remote work.
    printf "    [statement %d] %s %s: %d rows, %s\n        Remote SQL: %s\n",
        $s->{stmt} + 1, $s->{type}, ($s->{what} =~ /^(Aggregate|Join)/ ? "($s->{what})" : "on $s->{what}"), $s->{rows},
        ($s->{type} =~ /^Async/ ? 'async' : sprintf('%.1f ms', $s->{ms})), $s->{sql};
}
printf "    %d remote queries in %d statements, %d rows fetched\n", scalar @scans, scalar keys %in_stmt, $rows if @scans;
# JIT: a statement whose estimated cost passes jit_above_cost is compiled first.
for my $i (0 .. $#stmts) {
    my $j = $stmts[$i]{jit} or next;
    printf "    [statement %d] JIT: %d functions compiled in %.1f ms of the statement's %.1f ms (estimated cost %.0f)\n",
        $i + 1, $j->{Functions}, $j->{Timing}{Total}, $stmts[$i]{ms}, $stmts[$i]{plan}{'Total Cost'};
}
