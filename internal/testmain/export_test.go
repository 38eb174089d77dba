package testmain

// MaxParallel is maxParallel for the tests.
func MaxParallel() int { return maxParallel }
