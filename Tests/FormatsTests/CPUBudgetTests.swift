import TestSupport
import XCTest

@testable import Formats

final class CPUBudgetTests: XCTestCase {
    func testCPUMaxParsing() {
        XCTAssertEqual(CPUBudget.parseCPUMax("200000 100000\n"), 2.0)
        XCTAssertEqual(CPUBudget.parseCPUMax("50000 100000"), 0.5)
        XCTAssertNil(CPUBudget.parseCPUMax("max 100000\n"))
        XCTAssertNil(CPUBudget.parseCPUMax(""))
    }

    /// A cgroup tree with a quota of 1.5 CPUs on the parent: the smallest quota on the path wins.
    func testQuotaIsTheSmallestOnThePath() throws {
        let root = try temporaryFolder("cg").path
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        try "max 100000\n".write(toFile: root + "/cpu.max", atomically: true, encoding: .utf8)
        try "150000 100000\n".write(toFile: root + "/a/cpu.max", atomically: true, encoding: .utf8)
        try "max 100000\n".write(toFile: root + "/a/b/cpu.max", atomically: true, encoding: .utf8)
        try "0::/a/b\n".write(toFile: root + "/self", atomically: true, encoding: .utf8)
        XCTAssertEqual(CPUBudget.cgroupQuota(root: root, selfCgroup: root + "/self"), 1.5)
        XCTAssertGreaterThanOrEqual(CPUBudget.threads, 1)
    }
}
