// One whole system at a time: two started apps on a 2-core machine would slow each other's timing-sensitive tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
