"""Languages beyond Python: the C-family, script and SQL-family lexers, and Pygments."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.fingerprint.build import build
from leakguard.fingerprint.lexers import Lexers, profile_for
from leakguard.fingerprint.match import Matcher

RUBY = """\
class InvoiceBatch
  attr_reader :items, :currency

  def initialize(items, currency = "EUR")
    @items = items
    @currency = currency
    @cache = {}
  end

  def subtotal
    items.reduce(0) { |sum, item| sum + item.price * item.quantity }
  end

  def tax(rate)
    (subtotal * rate / 100.0).round(2)
  end

  def grouped_by_customer
    @cache[:grouped] ||= items.group_by(&:customer_id).transform_values do |rows|
      rows.sort_by { |row| [row.due_date, -row.price] }
    end
  end

  def overdue(today)
    items.select { |item| item.due_date < today && !item.paid? }
         .map { |item| [item.customer_id, (today - item.due_date).to_i] }
         .to_h
  end

  def to_csv
    header = %w[customer amount currency due].join(";")
    lines = items.map do |item|
      [item.customer_id, format("%.2f", item.price), currency, item.due_date.iso8601].join(";")
    end
    ([header] + lines).join("\\n")
  end
end
"""

GO = """\
package ledger

import (
\t"errors"
\t"sort"
)

// Balance folds the entries of one account into a running total per day.
func Balance(entries []Entry, opening int64) (map[string]int64, error) {
\tif len(entries) == 0 {
\t\treturn nil, errors.New("no entries")
\t}
\tsort.Slice(entries, func(i, j int) bool { return entries[i].Day < entries[j].Day })
\ttotals := make(map[string]int64, len(entries))
\trunning := opening
\tfor _, e := range entries {
\t\tif e.Reversed {
\t\t\trunning -= e.Amount
\t\t\tcontinue
\t\t}
\t\trunning += e.Amount
\t\ttotals[e.Day] = running
\t}
\treturn totals, nil
}
"""


SHELL = """\
#!/usr/bin/env bash
# Rotates the nightly exports and keeps the last $KEEP of them.
set -euo pipefail

export_dir="${EXPORT_DIR:-/var/lib/exports}"
keep="${KEEP:-7}"
stamp="$(date +%Y%m%d)"

rotate_exports() {
  local dir="$1" count="$2"
  local files=("$dir"/export-*.tar.gz)
  if [ "${#files[@]}" -le "$count" ]; then
    echo "nothing to rotate in $dir"
    return 0
  fi
  for old in $(ls -1t "$dir"/export-*.tar.gz | tail -n +"$((count + 1))"); do
    echo "removing $old"
    rm -f -- "$old"
  done
}

mkdir -p "$export_dir"
tar -czf "$export_dir/export-$stamp.tar.gz" -C /srv/app/data .
rotate_exports "$export_dir" "$keep"
curl -fsS -X POST "https://hooks.example.invalid/rotated?count=$keep" >/dev/null || true
"""

SQL = """\
-- Monthly revenue per customer segment, with the share of late payments.
WITH paid AS (
    SELECT i.customer_id,
           date_trunc('month', p.paid_at) AS month,
           SUM(p.amount) AS revenue,
           COUNT(*) FILTER (WHERE p.paid_at > i.due_date) AS late_count,
           COUNT(*) AS invoice_count
    FROM invoices i
    JOIN payments p ON p.invoice_id = i.id
    WHERE p.status = 'settled' AND i.voided_at IS NULL
    GROUP BY i.customer_id, date_trunc('month', p.paid_at)
)
SELECT c.segment,
       paid.month,
       SUM(paid.revenue) AS revenue,
       ROUND(100.0 * SUM(paid.late_count) / NULLIF(SUM(paid.invoice_count), 0), 1) AS late_pct
FROM paid
JOIN customers c ON c.id = paid.customer_id
WHERE c.region IN ('emea', 'apac')
GROUP BY c.segment, paid.month
HAVING SUM(paid.revenue) > 1000
ORDER BY paid.month DESC, revenue DESC;
"""

ERLANG = """\
-module(ledger).
-export([balance/2, overdue/2]).

%% Folds the entries of one account into a running total per day.
balance(Entries, Opening) ->
    Sorted = lists:sort(fun(A, B) -> maps:get(day, A) =< maps:get(day, B) end, Entries),
    {_, Totals} = lists:foldl(
        fun(#{amount := Amount, day := Day, reversed := Reversed}, {Running, Acc}) ->
            Next = case Reversed of
                true -> Running - Amount;
                false -> Running + Amount
            end,
            {Next, maps:put(Day, Next, Acc)}
        end,
        {Opening, #{}},
        Sorted),
    Totals.

overdue(Invoices, Today) ->
    [{maps:get(customer, I), Today - maps:get(due, I)}
     || I <- Invoices, maps:get(paid, I) =:= false, maps:get(due, I) < Today].
"""


@pytest.mark.parametrize(
    ("path", "profile"),
    [("a.py", "python"), ("a.ts", "c"), ("a.go", "c"), ("a.sol", "c"), ("a.sh", "script"),
     ("a.rb", "script"), ("a.pl", "script"), ("a.R", "script"), ("a.sql", "sql"),
     ("a.lua", "sql"), ("a.hs", "sql"), ("a.erl", "pygments:erlang"), ("a.md", None),
     ("a.json", None)],
)
def test_each_language_gets_its_lexer(path: str, profile: str | None) -> None:
    assert profile_for(path) == profile


def test_sql_words_compare_case_blind_and_literals_do_not() -> None:
    lexers = Lexers()
    upper = lexers.tokenize("sql", "SELECT Id FROM T WHERE s = 'Open'", fenced=False)
    lower = lexers.tokenize("sql", "select id from t where s = 'Open'", fenced=False)
    other = lexers.tokenize("sql", "select id from t where s = 'open'", fenced=False)
    assert upper.codes.tolist() == lower.codes.tolist()
    assert lower.codes.tolist() != other.codes.tolist()


def test_a_hash_in_a_shell_expansion_is_not_a_comment() -> None:
    lexers = Lexers()
    expansion = lexers.tokenize("script", 'n="${#files[@]}" m=$#\n', fenced=False)
    commented = lexers.tokenize("script", 'n="${files[@]}" m=$ # x\n', fenced=False)
    assert len(expansion) > len(commented)


@pytest.mark.parametrize(
    ("name", "source", "old", "new"),
    [
        ("billing.rb", RUBY, "item", "entry"),
        ("ledger.go", GO, "running", "acc"),
        ("rotate.sh", SHELL, "dir", "target"),
        ("revenue.sql", SQL, "paid", "settled_rows"),
        ("ledger.erl", ERLANG, "Running", "Total"),
    ],
)
def test_renamed_excerpt_in_a_prompt_is_found(
    tmp_path: Path, name: str, source: str, old: str, new: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / name).write_text(source, encoding="utf-8")
    index, _ = build(["src"], base=tmp_path, key=b"language-tests" * 3)
    matcher = Matcher(index)
    lines = source.splitlines(keepends=True)
    excerpt = "".join(lines[8:]).replace(old, new)
    prompt = "Can you make this faster?\n\n" + excerpt + "\nThanks.\n"
    [match] = matcher.match(prompt)
    assert match.path == f"src/{name}"
    assert matcher.match("Please write a function that sorts a list of invoices.\n") == []


def test_recased_and_reindented_sql_is_found(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "revenue.sql").write_text(SQL, encoding="utf-8")
    index, _ = build(["db"], base=tmp_path, key=b"language-tests" * 3)
    # A formatter's work: keywords in lower case, one indent level less, no comment.
    recased = "\n".join(line[4:] if line.startswith("    ") else line
                        for line in SQL.lower().splitlines()[1:12])
    [match] = Matcher(index).match(f"Why is this slow?\n\n{recased}\n")
    assert (match.path, match.profile) == ("db/revenue.sql", "sql")


def test_perl_variables_named_like_keywords_rename_like_any_other() -> None:
    lexers = Lexers()
    keyword_named = lexers.tokenize("script", "my $type = shift; push @keys, $type;\n", False)
    renamed = lexers.tokenize("script", "my $v1 = shift; push @v2, $v1;\n", False)
    assert keyword_named.codes.tolist() == renamed.codes.tolist()


def test_pod_and_begin_blocks_are_documentation() -> None:
    lexers = Lexers()
    code = "sub total {\n    my ($self) = @_;\n    return $self->{sum};\n}\n"
    pod = "\n=head1 NAME\n\nLedger - sums\n\n=cut\n"
    with_pod = lexers.tokenize("script", code + pod + code, fenced=False)
    without = lexers.tokenize("script", code + "\n" * 6 + code, fenced=False)
    assert with_pod.codes.tolist() == without.codes.tolist()
    assert with_pod.lines.tolist() == without.lines.tolist()
    ruby = lexers.tokenize("script", "=begin\nnotes here\n=end\nputs 1\n", fenced=False)
    assert len(ruby) == len(lexers.tokenize("script", "puts 1\n", fenced=False))
