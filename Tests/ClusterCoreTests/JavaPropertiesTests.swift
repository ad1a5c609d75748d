import ClusterCore
import Foundation
import TestSupport
import Testing

@Suite struct JavaPropertiesTests {
    @Test func escapesWhatPropertiesFilesTreatSpecially() {
        #expect(JavaProperties.escapeValue("a:b=c#d!e\\f") == ##"a\:b\=c\#d\!e\\f"##)
        #expect(JavaProperties.escapeValue(" lead") == #"\ lead"#)
        #expect(JavaProperties.escapeValue("in side") == "in side")
        #expect(JavaProperties.escapeValue("é") == #"\u00E9"#)
        #expect(JavaProperties.escapeValue("🎉") == #"\uD83C\uDF89"#)
        #expect(JavaProperties.escapeValue("a\nb") == #"a\nb"#)
        #expect(JavaProperties.line("work flow", "x") == #"work\ flow=x"#)
    }

    /// The real `java.util.Properties` reads back exactly what was written.
    @Test func javaReadsBackTheSameValues() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/java") else {
            Issue.record("java is not installed: run the README's test command, which installs it")
            return
        }
        let values = [" lead: = # ! \\ é", "p@ss:w=rd#!\\é", "tab\tnew\nline", "漢字🎉", "", "end space "]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jc-props-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = "# written by the test\n"
        for (i, v) in values.enumerated() { text += JavaProperties.line("k\(i)", v) + "\n" }
        try text.write(to: dir.appendingPathComponent("t.properties"), atomically: true, encoding: .utf8)
        let source = """
        import java.io.*; import java.util.*; import java.nio.charset.StandardCharsets;
        public class Dump { public static void main(String[] a) throws Exception {
          Properties p = new Properties(); try (InputStream in = new FileInputStream(a[0])) { p.load(in); }
          for (int i = 0; i < Integer.parseInt(a[1]); i++) {
            String v = p.getProperty("k" + i); StringBuilder b = new StringBuilder();
            for (byte x : v.getBytes(StandardCharsets.UTF_8)) b.append(String.format("%02x", x));
            System.out.println(b);
          } } }
        """
        try source.write(to: dir.appendingPathComponent("Dump.java"), atomically: true, encoding: .utf8)
        let java = Program.run(["/usr/bin/java", dir.appendingPathComponent("Dump.java").path,
                                dir.appendingPathComponent("t.properties").path, "\(values.count)"])
        #expect(java.status == 0, "\(java.errors)")
        let lines = java.output.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, v) in values.enumerated() {
            let hex = Array(v.utf8).map { String(format: "%02x", $0) }.joined()
            #expect(i < lines.count && String(lines[i]) == hex, "value \(i) \(v.debugDescription) did not read back")
        }
    }
}
