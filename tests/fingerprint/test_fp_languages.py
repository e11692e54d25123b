"""Languages beyond Python: the C-family regex lexer and the Pygments fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.fingerprint.build import build
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


@pytest.mark.parametrize(
    ("name", "source", "old", "new"),
    [("billing.rb", RUBY, "item", "entry"), ("ledger.go", GO, "running", "acc")],
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
