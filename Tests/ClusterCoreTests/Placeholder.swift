import Testing
@Test func placeholder_ClusterCoreTests() { #expect(Bool(true)) }
