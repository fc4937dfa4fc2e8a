print("covenant")
