import Foundation
import XCTest

/// The bad-input and fault campaign's defects R1-R9 (issue #13), each run as its repro is
/// written; each test failed before its fix. docs/FAILURES.md cites them by name.
final class FailureBehaviourTests: XCTestCase {
    var s: ShellScenario!

    override func setUpWithError() throws { s = try ShellScenario() }
    override func tearDown() { s = nil }

    /// R1: a corpus from a pipe or a FIFO builds the whole index (it used to give 0 documents
    /// with exit 0, or hang on a FIFO).
    func testR1CorpusFromAPipeOrFIFOIsReadOnce() throws {
        let pipe = try s.sh(#"cat "$W/c200.jsonl" | "$B" build --corpus /dev/stdin --out "$W/d1" --shards 2"#)
        XCTAssertEqual(pipe.status, 0, pipe.stderr)
        XCTAssertTrue(pipe.stderr.contains("index complete: 200 documents"), pipe.stderr)
        let fifo = try s.sh(
            #"mkfifo "$W/f.jsonl"; (cat "$W/c200.jsonl" > "$W/f.jsonl" &); timeout 60 "$B" build --corpus "$W/f.jsonl" --out "$W/d1b" --shards 2"#)
        XCTAssertEqual(fifo.status, 0, fifo.stderr)
        XCTAssertTrue(fifo.stderr.contains("index complete: 200 documents"), fifo.stderr)
        // The same bytes as a build from the file, and no spool file left behind.
        let same = try s.sh(
            #"cd "$W" && "$B" build --corpus c200.jsonl --out d1c --shards 2 --quiet && cmp d1/shard-0000-of-0002.shard d1c/shard-0000-of-0002.shard && ls -A d1 | grep -c spool"#
        )
        XCTAssertEqual(same.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0", same.stderr)
    }

    /// R2 and R14: a truncated gzip corpus, one cut in its header, and empty corpora are refused.
    func testR2TruncatedGzipAndR14EmptyCorpusAreRefused() throws {
        let cut = try s.sh(
            """
            python3 -c "
            import zlib; L=open('$W/c50.jsonl','rb').readlines(); c=zlib.compressobj(6,zlib.DEFLATED,31); o=b''; cut=0
            for i,l in enumerate(L):
                o+=c.compress(l)+c.flush(zlib.Z_SYNC_FLUSH)
                if i==24: cut=len(o)
            open('$W/cut.jsonl.gz','wb').write(o[:cut])" || exit 99
            "$B" build --corpus "$W/cut.jsonl.gz" --out "$W/d2" --shards 1
            """)
        if cut.status == 99 { throw XCTSkip("no python3") }
        XCTAssertEqual(cut.status, 2, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("truncated"), cut.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.dir + "/d2/manifest.json"))
        let header = try s.sh(#"gzip -c "$W/c50.jsonl" | head -c 10 > "$W/h.jsonl.gz"; "$B" build --corpus "$W/h.jsonl.gz" --out "$W/d2b" --shards 1"#)
        XCTAssertEqual(header.status, 2, header.stderr)
        let junk = try s.sh(
            #"gzip -c "$W/c50.jsonl" > "$W/j.jsonl.gz"; printf 'junk' >> "$W/j.jsonl.gz"; "$B" build --corpus "$W/j.jsonl.gz" --out "$W/d2c" --shards 1"#)
        XCTAssertEqual(junk.status, 2, junk.stderr)
        XCTAssertTrue(junk.stderr.contains("after the end of the gzip data"), junk.stderr)
        // Two concatenated members are one valid gzip file (gzip -d reads both).
        let two = try s.sh(
            #"(head -20 "$W/c50.jsonl" | gzip -c; tail -30 "$W/c50.jsonl" | gzip -c) > "$W/two.jsonl.gz"; "$B" build --corpus "$W/two.jsonl.gz" --out "$W/d2d" --shards 1"#
        )
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stderr.contains("index complete: 50 documents"), two.stderr)
        for input in ["/dev/null", "$W/empty.jsonl", "$W/blank.jsonl"] {
            let script = #": > "$W/empty.jsonl"; printf '\n  \n' > "$W/blank.jsonl"; "$B" build --corpus "#
            let r = try s.sh(script + "\"" + input + "\" --out \"$W/d14\" --shards 1")
            XCTAssertEqual(r.status, 2, input + ": " + r.stderr)
            XCTAssertTrue(r.stderr.contains("holds no documents"), r.stderr)
        }
    }

    /// R3: an output that is a symlink updates its target; a device node stays a device.
    func testR3LinksAndDevicesAreNotReplaced() throws {
        let link = try s.sh(
            #"echo OLD > "$W/target.run"; ln -s target.run "$W/link.run"; "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 2 --out "$W/link.run" --quiet && stat -c '%F' "$W/link.run""#
        )
        XCTAssertEqual(link.status, 0, link.stderr)
        XCTAssertEqual(link.stdout, "symbolic link\n")
        XCTAssertEqual(s.text("target.run")?.split(separator: "\n").count, 6)
        let device = try s.sh(
            #"mknod "$W/null" c 1 3 || exit 99; "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 2 --out "$W/null" --quiet && stat -c '%F' "$W/null""#
        )
        if device.status == 99 { throw XCTSkip("mknod needs root") }
        XCTAssertEqual(device.stdout, "character special file\n", device.stderr)
        // `-` and /dev/stdout write the same bytes as a file, and /dev/stdout stays what it was.
        let stdout = try s.sh(
            #"K=$(stat -L -c '%F' /dev/stdout); "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 2 --out - --quiet > "$W/dash.run"; "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 2 --out /dev/stdout --quiet > "$W/dev.run"; cmp "$W/dash.run" "$W/target.run" && cmp "$W/dev.run" "$W/target.run" && [ "$(stat -L -c '%F' /dev/stdout)" = "$K" ] && [ ! -e ./- ]"#
        )
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
    }

    /// R4: a manifest listing fewer shards than its count is refused by search (all retrievers).
    func testR4ManifestWithMissingShardsIsRefused() throws {
        let r = try s.sh(
            """
            cp -r "$W/idx" "$W/d4"; python3 -c "
            import json; p='$W/d4/manifest.json'; m=json.load(open(p)); m['shards']=m['shards'][:1]; open(p,'w').write(json.dumps(m,indent=2,sort_keys=True))" || exit 99
            for r in dense bm25 hybrid; do "$B" search --index "$W/d4" --queries "$W/q3.jsonl" --top-n 5 --retriever $r --out "$W/d4.run"; echo "rc=$?"; done
            """)
        if r.status == 99 { throw XCTSkip("no python3") }
        XCTAssertEqual(r.stdout, "rc=1\nrc=1\nrc=1\n", r.stderr)
        XCTAssertTrue(r.stderr.contains("manifest lists 1 shards for a count of 2"), r.stderr)
        XCTAssertNil(s.text("d4.run"))
    }

    /// R6: two builds with other settings on one folder: the second waits and refuses.
    func testR6ConcurrentBuildsWithOtherSettingsDoNotOverwrite() throws {
        let r = try s.sh(
            """
            S="$C/corpus.jsonl"
            "$B" build --corpus "$S" --out "$W/d5" --shards 3 --vectors f32 --quiet & A=$!; sleep 1
            "$B" build --corpus "$S" --out "$W/d5" --shards 3 --vectors int8 --quiet & C2=$!
            wait $A; echo "f32 rc=$?"; wait $C2; echo "int8 rc=$?"; grep '"encoding"' "$W/d5/manifest.json"
            """)
        XCTAssertTrue(r.stdout.contains("f32 rc=0\nint8 rc=1\n"), r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("\"f32\""), r.stdout)
        XCTAssertTrue(r.stderr.contains("other settings"), r.stderr)
    }

    /// R8 and R9: a folder as corpus and a failed write to stdout are errors, not SIGILL.
    func testR8FolderAsCorpusAndR9FullStdoutAreErrors() throws {
        let folder = try s.sh(#"mkdir "$W/adir"; "$B" build --corpus "$W/adir" --out "$W/d7" --shards 1"#)
        XCTAssertEqual(folder.status, 2, folder.stderr)
        XCTAssertTrue(folder.stderr.contains("is a folder, not a file"), folder.stderr)
        for command in [#"eval --qrels "$C/qrels/test.tsv" "$W/r.run""#, #"inspect "$W/idx""#, "build --help"] {
            let r = try s.sh(#""$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 5 --out "$W/r.run" --quiet; "$B" "# + command + " > /dev/full")
            XCTAssertEqual(r.status, 1, command + ": " + r.stderr)
            XCTAssertFalse(r.signal, command)
            XCTAssertTrue(r.stderr.contains("cannot write") && r.stderr.contains("No space left on device"), r.stderr)
        }
    }

    /// R13: a killed search's temporary file is removed by the next write of that output.
    func testR13TemporaryFilesOfKilledRunsAreSwept() throws {
        let r = try s.sh(
            #"touch "$W/.d13.run.tmp-999999"; "$B" search --index "$W/idx" --queries "$W/q3.jsonl" --top-n 5 --out "$W/d13.run" --quiet; ls -A "$W" | grep -c 'd13.run.tmp'"#
        )
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0", r.stderr)
    }
}
