import CovenantSource

