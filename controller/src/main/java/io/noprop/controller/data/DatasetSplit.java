package io.noprop.controller.data;

/** Training rows (uploaded to slot 0) and held-out test rows (slot 1). */
public record DatasetSplit(Dataset train, Dataset test) {}
