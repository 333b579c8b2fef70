package io.xcomdb.cleanup;

/** The primary key of one row chosen for deletion, with the stored size of its value. */
public record BatchKey(int dagRunId, String taskId, int mapIndex, String key, long bytes) {}
