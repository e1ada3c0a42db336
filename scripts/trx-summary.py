"""Summary of `dotnet test --logger trx` result files: each skipped test with its reason (the console logger does
not print skip reasons), then one line "tests: N passed, M failed, K skipped" over all projects.
   python3 scripts/trx-summary.py RESULTS_DIR [SECONDS]"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def skip_reason(result):
    # xunit's skip reason lands in the result's output: ErrorInfo/Message or StdOut, depending on the adapter.
    for path in ("t:Output/t:ErrorInfo/t:Message", "t:Output/t:StdOut"):
        node = result.find(path, NS)
        if node is not None and (node.text or "").strip():
            return " ".join(node.text.split())
    return "(no reason given)"


def main(results, seconds=None):
    passed = failed = skipped = 0
    skips = []
    for f in sorted(glob.glob(results + "/*.trx")):
        root = ET.parse(f).getroot()
        c = root.find("t:ResultSummary/t:Counters", NS)
        if c is None:
            continue
        passed += int(c.get("passed", 0))
        failed += int(c.get("failed", 0)) + int(c.get("error", 0))
        skipped += int(c.get("total", 0)) - int(c.get("executed", 0))
        for r in root.iterfind("t:Results/t:UnitTestResult", NS):
            if r.get("outcome") == "NotExecuted":
                skips.append((r.get("testName"), skip_reason(r)))
    for name, reason in skips:
        print(f"skipped: {name}: {reason}")
    took = f" in {seconds} s" if seconds else ""
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped{took}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
