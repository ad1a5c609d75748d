import Testing
@Test func placeholder_ClusterEngineTests() { #expect(Bool(true)) }
