import Foundation
import XCTest

/// The campaign's defects R5, R7, R10-R12 and R15-R19 (issue #13), run as their repros are
/// written; each test failed before its fix.
final class FailureBehaviourJobTests: XCTestCase {
    var s: ShellScenario!

    override func setUpWithError() throws { s = try ShellScenario() }
    override func tearDown() { s = nil }

    /// R5: a bad line appended to a job's corpus leaves the job's good index in place.
    func testR5JobKeepsItsIndexWhenTheChangedCorpusIsBad() throws {
        let r = try s.sh(
            #"""
            mkdir -p "$W/j6"; cp "$W/c200.jsonl" "$W/j6/c.jsonl"; cp "$W/q3.jsonl" "$W/j6/q.jsonl"
            echo '{"version":1,"name":"d6","corpus":"c.jsonl","queries":"q.jsonl","index":{"dir":"idx","shards":2},"rerank":false,"output":"out"}' > "$W/j6/d6.json"
            "$B" run "$W/j6/d6.json" --quiet > /dev/null || exit 98
            sha256sum "$W"/j6/idx/* > "$W/before.sha"
            echo '{"_id": "new", "text": "broken' >> "$W/j6/c.jsonl"
            "$B" run "$W/j6/d6.json" --quiet > /dev/null; echo "rc=$?"
            sha256sum -c --quiet "$W/before.sha" && echo intact
            # Fixed again: the index is rebuilt beside the old one and swapped in.
            head -200 "$W/j6/c.jsonl" > "$W/j6/c2" && echo '{"_id": "new", "text": "fixed"}' >> "$W/j6/c2" && mv "$W/j6/c2" "$W/j6/c.jsonl"
            "$B" run "$W/j6/d6.json" --quiet > /dev/null; echo "rc=$?"; grep -o '"documents" : [0-9]*' "$W/j6/idx/manifest.json" | head -1
            ls -A "$W/j6" | grep -c rebuild
            """#)
        XCTAssertEqual(r.stdout, "rc=2\nintact\nrc=0\n\"documents\" : 201\n0\n", r.stderr)
    }

    /// R7: a job whose output would overwrite its corpus is refused before anything runs.
    func testR7JobNeverWritesOverItsOwnInput() throws {
        let r = try s.sh(
            #"""
            mkdir -p "$W/j9/out"; cp "$W/c200.jsonl" "$W/j9/out/candidates.run"; cp "$W/q3.jsonl" "$W/j9/q.jsonl"
            echo '{"version":1,"name":"d9","corpus":"out/candidates.run","queries":"q.jsonl","index":{"dir":"idx","shards":1},"rerank":false,"output":"out"}' > "$W/j9/d9.json"
            "$B" run "$W/j9/d9.json" --quiet > /dev/null; echo "rc=$?"; cmp "$W/j9/out/candidates.run" "$W/c200.jsonl" && echo kept; [ -e "$W/j9/idx" ] || echo "nothing built"
            """#)
        XCTAssertEqual(r.stdout, "rc=2\nkept\nnothing built\n", r.stderr)
        XCTAssertTrue(r.stderr.contains("would overwrite the corpus"), r.stderr)
        // A single command refuses an output that is one of its inputs, too.
        let fuse = try s.sh(
            #""$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 5 --out "$W/a.run" --quiet; cp "$W/a.run" "$W/a0.run"; "$B" fuse --top-n 5 --out "$W/a.run" "$W/a.run" "$W/a.run"; echo "rc=$?"; cmp "$W/a.run" "$W/a0.run" && echo kept"#
        )
        XCTAssertEqual(fuse.stdout, "rc=2\nkept\n", fuse.stderr)
    }

    /// R10: a run log whose last line was cut short (a full disk) is repaired before the next
    /// append, so the file stays valid JSON lines.
    func testR10RunLogStaysValidJSONLines() throws {
        let r = try s.sh(
            #"""
            mkdir -p "$W/j10"; cp "$W/c200.jsonl" "$W/j10/c.jsonl"; cp "$W/q3.jsonl" "$W/j10/q.jsonl"
            echo '{"version":1,"name":"d10","corpus":"c.jsonl","queries":"q.jsonl","index":{"dir":"idx"},"rerank":false,"output":"out"}' > "$W/j10/d.json"
            "$B" run "$W/j10/d.json" --quiet > /dev/null || exit 98
            printf '{"event": "step", "step": "bu' >> "$W/j10/out/run-log.jsonl"
            "$B" run "$W/j10/d.json" --quiet > /dev/null; echo "rc=$?"
            python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]; print('valid')" "$W/j10/out/run-log.jsonl"
            """#)
        XCTAssertEqual(r.stdout, "rc=0\nvalid\n", r.stderr)
        XCTAssertTrue(r.stderr.contains("its last line was cut short"), r.stderr)
    }

    /// R11: unknown metrics, gates on unmeasured metrics, empty lists and min > max are job-file
    /// errors (exit 2) found before any step runs.
    func testR11MetricsAndGatesAreValidatedFirst() throws {
        let cases = [
            #""gates":{"ndcg@10x":{"min":0.1}}"#: "gates.ndcg@10x: metric 'ndcg@10x'",
            #""gates":{"ndcg@1o":{"min":0.1}}"#: "gates.ndcg@1o",
            #""eval":{"metrics":["ndcg@10","bogus"]}"#: "eval.metrics",
            #""eval":{"metrics":""}"#: "at least one metric",
            #""gates":{"ndcg@10":{"min":0.5,"max":0.1}}"#: "above max",
            #""eval":{"metrics":["map"]},"gates":{"ndcg@10":{"min":0.1}}"#: "add it to eval.metrics",
        ]
        for (extra, message) in cases {
            let r = try s.sh(
                #"""
                mkdir -p "$W/j11"; cp "$W/c200.jsonl" "$W/j11/c.jsonl"; cp "$W/q3.jsonl" "$W/j11/q.jsonl"; cp "$C/qrels/test.tsv" "$W/j11/qrels.tsv"
                echo '{"version":1,"name":"d11","corpus":"c.jsonl","queries":"q.jsonl","qrels":"qrels.tsv","index":{"dir":"idx"},"rerank":false,"output":"out",
                """# + extra + #"""
                    }' > "$W/j11/d.json"
                    "$B" run "$W/j11/d.json" --quiet > /dev/null; echo "rc=$?"; [ -e "$W/j11/idx" ] || echo "nothing built"
                    """#)
            XCTAssertEqual(r.stdout, "rc=2\nnothing built\n", extra + ": " + r.stderr)
            XCTAssertTrue(r.stderr.contains(message), extra + ": " + r.stderr)
        }
    }

    /// R12: ids no TREC run can carry are refused where they are read (file and line).
    func testR12WhitespaceIdsAreRefusedAtReadTime() throws {
        let r = try s.sh(
            #"printf '{"_id": "a b", "text": "aerodynamics of a wing"}\n' > "$W/ws.jsonl"; head -20 "$W/c200.jsonl" >> "$W/ws.jsonl"; "$B" build --corpus "$W/ws.jsonl" --out "$W/d12" --shards 1 --quiet"#
        )
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("ws.jsonl:1: document id 'a b' holds whitespace"), r.stderr)
        let q = try s.sh(
            #"printf '{"_id": "q 1", "text": "wing"}\n' > "$W/qws.jsonl"; "$B" search --index "$W/idx" --queries "$W/qws.jsonl" --top-n 5 --out "$W/q.run""#)
        XCTAssertEqual(q.status, 2, q.stderr)
        XCTAssertTrue(q.stderr.contains("qws.jsonl:1: query id 'q 1' holds whitespace"), q.stderr)
    }

    /// R15 and R16: header-only qrels are refused by search; --quiet keeps warnings.
    func testR15EmptyQrelsAndR16QuietKeepsWarnings() throws {
        let r = try s.sh(
            #"printf 'query-id\tcorpus-id\tscore\n' > "$W/h.tsv"; "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --qrels "$W/h.tsv" --top-n 5 --out "$W/e.run""#
        )
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("holds no judgments"), r.stderr)
        XCTAssertNil(s.text("e.run"))
        let quiet = try s.sh(
            #"(cat "$W/q3.jsonl"; echo '{"_id":"x","text":""}') > "$W/qe.jsonl"; "$B" search --index "$W/idx" --queries "$W/qe.jsonl" --top-n 5 --out "$W/qe.run" --quiet"#
        )
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertTrue(quiet.stderr.contains("query 'x' has no text"), quiet.stderr)
    }

    /// R17: rerank names swapped shard files, not the run.
    func testR17RerankNamesSwappedShards() throws {
        let r = try s.sh(
            #"""
            "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 5 --out "$W/c.run" --quiet
            cp -r "$W/idx" "$W/sw"; cd "$W/sw"; mv shard-0000-of-0002.shard t; mv shard-0001-of-0002.shard shard-0000-of-0002.shard; mv t shard-0001-of-0002.shard
            "$B" rerank --candidates "$W/c.run" --queries "$W/q3.jsonl" --docs "$W/sw" --depth 5 --out "$W/rr.run"
            """#)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("shard files were swapped"), r.stderr)
    }

    /// R18: a UTF-8 byte-order mark does not change a run's figures.
    func testR18ByteOrderMarkIsIgnored() throws {
        let r = try s.sh(
            #"""
            head -10 "$C/queries.jsonl" > "$W/q10.jsonl"
            "$B" search --index "$W/idx" --queries "$W/q10.jsonl" --top-n 20 --retriever bm25 --out "$W/b.run" --quiet
            printf '\xef\xbb\xbf' | cat - "$W/b.run" > "$W/bom.run"
            "$B" eval --qrels "$C/qrels/test.tsv" "$W/b.run" | tail -1 | cut -f2-; "$B" eval --qrels "$C/qrels/test.tsv" "$W/bom.run" | tail -1 | cut -f2-
            """#)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.stdout + r.stderr)
        XCTAssertEqual(
            lines.first.map { $0.split(separator: " ").dropFirst().joined(separator: " ") },
            lines.last.map { $0.split(separator: " ").dropFirst().joined(separator: " ") }, r.stdout)
    }

    /// R19: the project's errors, never Foundation's, for files in the way and bad manifests.
    func testR19ErrorsAreTheProjectsOwn() throws {
        let file = try s.sh(#""$B" build --corpus "$W/c200.jsonl" --out "$W/c200.jsonl" --shards 1"#)
        XCTAssertEqual(file.status, 2, file.stderr)
        XCTAssertTrue(file.stderr.contains("is a file, not a folder"), file.stderr)
        let manifest = try s.sh(
            #"cp -r "$W/idx" "$W/m"; sed -i 's/"documents" : \([0-9]*\)/"documents" : "x"/' "$W/m/manifest.json"; "$B" search --index "$W/m" --queries "$W/q3.jsonl" --top-n 5 --out "$W/m.run""#
        )
        XCTAssertEqual(manifest.status, 1, manifest.stderr)
        XCTAssertTrue(manifest.stderr.contains("field 'documents': expected a whole number"), manifest.stderr)
        for out in [file.stderr, manifest.stderr] {
            XCTAssertFalse(out.contains("NSCocoaErrorDomain") || out.contains("DecodingError") || out.contains("Debug description"), out)
        }
    }
}
