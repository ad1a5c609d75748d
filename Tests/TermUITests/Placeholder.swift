import Testing
@Test func placeholder_TermUITests() { #expect(Bool(true)) }
