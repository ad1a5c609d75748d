import Testing
@Test func placeholder_WizardTests() { #expect(Bool(true)) }
