import ClusterCore
@testable import ClusterEngine
import Foundation
import Testing

/// Step overhead over the framed shell. `benchStepOverhead` runs only with RUN_BENCH=1
/// (bench/step-overhead/run.sh); `trivialStepIsCheap` is a loose guard that always runs.
@Suite(.serialized, .enabled(if: SSHFixture.available, "needs root and the sshd fixture"))
struct SSHBenchTests {
    static func measure(_ t: any Transport, steps: Int, script: String = "true") async -> [Double] {
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<steps {
            let start = clock.now
            let r = await t.run(script, timeout: .seconds(30)) { _ in }
            let d = clock.now - start
            if r != .exited(0) { return [] }
            samples.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        return samples
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    @Test func trivialStepIsCheap() async throws {
        let t = SSHTransport(host: SSHFixture.keyHost(), secrets: SecretValues(), options: SSHFixture.options())
        try await t.connect()
        _ = await Self.measure(t, steps: 5)
        let samples = await Self.measure(t, steps: 50)
        #expect(samples.count == 50)
        let m = Self.median(samples)
        print("ssh framed shell, `true` x50: median \(String(format: "%.2f", m)) ms")
        #expect(m < 25, "median \(m) ms per trivial step (a login costs ~100-500 ms)")
        await t.close()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["RUN_BENCH"] == "1"))
    func benchStepOverhead() async throws {
        let steps = Int(ProcessInfo.processInfo.environment["BENCH_STEPS"] ?? "") ?? 50
        var lines: [String] = []
        for (label, sudo) in [("sudo -n (nopasswd)", ClusterCore.Host.Sudo.nopasswd), ("no sudo", .root)] {
            let t = SSHTransport(host: SSHFixture.keyHost(sudo: sudo), secrets: SecretValues(), options: SSHFixture.options())
            let clock = ContinuousClock()
            let c0 = clock.now
            try await t.connect()
            let connect = clock.now - c0
            _ = await Self.measure(t, steps: 5)
            let samples = await Self.measure(t, steps: steps)
            #expect(samples.count == steps)
            let s = samples.sorted()
            lines.append(String(format: "BENCH engine[%@] steps=%d median_ms=%.3f p90_ms=%.3f min_ms=%.3f connect_ms=%.1f",
                                label, steps, Self.median(samples), s[Int(Double(s.count - 1) * 0.9)], s.first ?? .nan,
                                Double(connect.components.attoseconds) / 1e15 + Double(connect.components.seconds) * 1000))
            await t.close()
        }
        let local = LocalTransport()
        _ = await Self.measure(local, steps: 5)
        let ls = await Self.measure(local, steps: steps)
        lines.append(String(format: "BENCH engine[local shell] steps=%d median_ms=%.3f", steps, Self.median(ls)))
        await local.close()
        for l in lines { print(l) }
        if let out = ProcessInfo.processInfo.environment["BENCH_OUT"] {
            try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
    }
}
