#!/usr/bin/perl
# bench/dashboard: summarise auto_explain's JSON plans (psql's NOTICE output, on stdin) of one
# query and the statements it ran inside (log_nested_statements): the statements that took at
# least 5 % of the outermost one's time, each with its plan nodes of largest exclusive time
# (a node's actual time times its loops, less its children's).
#   perl plan_summary.pl LABEL < notices
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use AutoExplain qw(logged_statements);

my $label = shift // 'query';
my @stmts = logged_statements($label);

sub node_label {
    my ($n) = @_;
    my $l = $n->{'Node Type'};
    $l = "$n->{'Partial Mode'} $l" if ($n->{'Partial Mode'} // 'Simple') ne 'Simple';
    $l .= "($n->{Strategy})" if ($n->{Strategy} // '') =~ /^(Hashed|Sorted|Mixed)$/;
    $l .= " on $n->{'Relation Name'}" if $n->{'Relation Name'};
    $l .= " on $n->{'Function Name'}" if $n->{'Function Name'};
    $l .= " ($n->{'CTE Name'})" if $n->{'CTE Name'};
    return $l;
}

# [label, exclusive ms, rows] of every node
sub walk {
    my ($n, $out) = @_;
    my $loops = $n->{'Actual Loops'} // 1;
    my $total = ($n->{'Actual Total Time'} // 0) * $loops;
    my $children = 0;
    for my $c (@{ $n->{Plans} // [] }) {
        $children += ($c->{'Actual Total Time'} // 0) * ($c->{'Actual Loops'} // 1);
        walk($c, $out);
    }
    my $excl = $total - $children;
    $excl = 0 if $excl < 0;
    push @$out, [node_label($n), $excl, ($n->{'Actual Rows'} // 0) * $loops];
}

my $top = $stmts[-1];    # the outermost statement ends last
printf "  %s: %.1f ms in all (%d statements of at least auto_explain.log_min_duration logged)\n",
    $label, $top->{ms}, scalar @stmts;
for my $s (sort { $b->{ms} <=> $a->{ms} } @stmts) {
    last if $s->{ms} < 0.05 * $top->{ms};
    my $q = $s->{query};
    $q =~ s/--[^\n]*//g;
    $q =~ s/\s+/ /g;
    $q =~ s/^ //;
    $q = substr($q, 0, 90) . ' ...' if length($q) > 90;
    my @nodes;
    walk($s->{plan}, \@nodes);
    @nodes = grep { $_->[1] >= 0.5 } sort { $b->[1] <=> $a->[1] } @nodes;
    splice(@nodes, 4) if @nodes > 4;
    printf "    %8.1f ms  %s\n", $s->{ms}, $q;
    printf "               %-60s %8.1f ms  %8d rows\n", @$_ for @nodes;
}
