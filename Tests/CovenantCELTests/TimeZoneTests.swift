import Testing
@testable import CovenantCEL
