# Shared by bench/*/*.pl: the statements auto_explain logged as JSON plans (format json, in
# psql's NOTICE output on stdin), in the order they ended: each { ms, query, plan, jit }.
# The outermost statement ends last. Prints "  LABEL: no plan logged" and exits 0 if none.
package AutoExplain;
use strict;
use warnings;
use Exporter 'import';
use JSON::PP;

our @EXPORT_OK = ('logged_statements');

sub logged_statements {
    my ($label) = @_;
    my $text = do { local $/; <STDIN> };
    my $json = JSON::PP->new;
    my @stmts;
    while ($text =~ /duration: ([\d.]+) ms\s+plan:\s*\n/g) {
        my ($ms, $pos) = ($1, pos($text));
        my ($plan) = eval { $json->decode_prefix(substr($text, $pos)) };
        next unless $plan && $plan->{Plan};
        push @stmts, { ms => $ms, query => $plan->{'Query Text'} // '', plan => $plan->{Plan}, jit => $plan->{JIT} };
    }
    if (!@stmts) {
        print "  $label: no plan logged\n";
        exit 0;
    }
    return @stmts;
}

1;
