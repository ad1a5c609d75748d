// Wizard
