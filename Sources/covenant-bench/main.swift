import CovenantCEL
print("covenant-bench: see docs/benchmarks.md")
