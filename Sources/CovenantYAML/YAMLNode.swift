import CYAML
import CovenantSource

