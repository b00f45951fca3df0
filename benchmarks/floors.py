"""Floors: the same work as the platform's commands, written as plainly as pandas, scipy, sqlite3 and
openpyxl allow, with none of the platform's checks. Each is run in a fresh process by
`scale_benchmark.py`, like the command it is compared with.

    python benchmarks/floors.py compare QUESTIONNAIRE.yaml BASELINE.csv CURRENT.csv OUT.json
    python benchmarks/floors.py import WAVE.csv DATABASE.sqlite
    python benchmarks/floors.py export-csv DATABASE.sqlite OUT.csv
    python benchmarks/floors.py export-xlsx DATABASE.sqlite OUT.xlsx
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid

import numpy as np
import pandas as pd
import yaml
from scipy import stats

META = ("group", "respondent", "language")


def _holm(p_values: list[float]) -> list[float]:
    order = np.argsort(p_values)
    adjusted, running = np.empty(len(p_values)), 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted.tolist()


def _rows(base: pd.DataFrame, cur: pd.DataFrame, items: list[dict]) -> list[dict]:
    rows = []
    know = [item["id"] for item in items if item.get("measure") == "knowledge"]
    for item in items:
        b, c = base[item["id"]].dropna(), cur[item["id"]].dropna()
        if item["type"] == "single_choice":
            success = item.get("success") or [item["correct"]]
            xb, xc = int(b.isin(success).sum()), int(c.isin(success).sum())
            table = np.array([[xb, len(b) - xb], [xc, len(c) - xc]])
            if (stats.contingency.expected_freq(table) < 5).any():
                p = stats.fisher_exact(table).pvalue
            else:
                p = stats.chi2_contingency(table, correction=False).pvalue
        elif item["type"] == "likert":
            p = stats.mannwhitneyu(b.astype(int), c.astype(int), use_continuity=True).pvalue
        else:
            p = stats.ttest_ind(b.astype(float), c.astype(float), equal_var=False).pvalue
        rows.append({"item": item["id"], "p": float(p)})
    score_b = (base[know] == "a").sum(axis=1) / base[know].notna().sum(axis=1)
    score_c = (cur[know] == "a").sum(axis=1) / cur[know].notna().sum(axis=1)
    p = stats.ttest_ind(score_b.dropna(), score_c.dropna(), equal_var=False).pvalue
    rows.append({"item": "knowledge_score", "p": float(p)})
    for row, adjusted in zip(rows, _holm([row["p"] for row in rows]), strict=True):
        row["p_adjusted"] = adjusted
    return rows


def compare(questionnaire_path: str, baseline: str, current: str, output: str) -> None:
    """Every item for all respondents and each group: chi-square/Fisher, Mann-Whitney, Welch; Holm."""
    definition = yaml.safe_load(open(questionnaire_path, encoding="utf-8"))
    items = [item for section in definition["sections"] for item in section["items"]]
    base = pd.read_csv(baseline, dtype=str)
    cur = pd.read_csv(current, dtype=str)
    results = {"all": _rows(base, cur, items)}
    for group in sorted(set(base["group"]) & set(cur["group"])):
        results[group] = _rows(base[base["group"] == group], cur[cur["group"] == group], items)
    with open(output, "w", encoding="utf-8") as file:
        json.dump(results, file)


def import_answers(path: str, database: str) -> None:
    """Read the CSV, insert one response row per respondent and one answer row per non-blank cell."""
    frame = pd.read_csv(path, dtype=str)
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE IF NOT EXISTS responses (id TEXT PRIMARY KEY, grp TEXT)")
    connection.execute("CREATE TABLE IF NOT EXISTS answers (response_id TEXT, item_id TEXT, value TEXT, "
                       "PRIMARY KEY (response_id, item_id))")
    ids = [uuid.uuid4().hex for _ in range(len(frame))]
    items = [column for column in frame.columns if column not in META]
    long = frame[items].assign(response_id=ids).melt(id_vars="response_id", var_name="item_id").dropna()
    with connection:
        connection.executemany("INSERT INTO responses VALUES (?, ?)", zip(ids, frame["group"], strict=True))
        connection.executemany("INSERT INTO answers VALUES (?, ?, ?)", long.itertuples(index=False, name=None))
    connection.close()


def _wide(database: str) -> pd.DataFrame:
    connection = sqlite3.connect(database)
    answers = pd.read_sql_query("SELECT response_id, item_id, value FROM answers", connection)
    groups = pd.read_sql_query("SELECT id AS response_id, grp AS \"group\" FROM responses", connection)
    connection.close()
    wide = answers.pivot(index="response_id", columns="item_id", values="value")
    return groups.set_index("response_id").join(wide).reset_index(drop=True)


def export_csv(database: str, output: str) -> None:
    _wide(database).to_csv(output, index=False)


def export_xlsx(database: str, output: str) -> None:
    from openpyxl import Workbook

    frame = _wide(database)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([None if isinstance(value, float) else value for value in row])
    workbook.save(output)


if __name__ == "__main__":
    commands = {"compare": compare, "import": import_answers, "export-csv": export_csv, "export-xlsx": export_xlsx}
    commands[sys.argv[1]](*sys.argv[2:])
