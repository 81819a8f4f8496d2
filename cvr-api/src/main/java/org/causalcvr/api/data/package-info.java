/**
 * Exposure logs as columns: the {@link org.causalcvr.api.data.FeatureSchema} of a data set, the
 * {@link org.causalcvr.api.data.ExposureBatch} view of consecutive rows (clicks o, conversions r,
 * feature ids, optional true propensity), and the {@link org.causalcvr.api.data.ExposureSource}
 * that streams them through a {@link org.causalcvr.api.data.BatchCursor}, one batch in memory at a
 * time. {@link org.causalcvr.api.data.ArrayExposureBatch} and {@link
 * org.causalcvr.api.data.InMemoryExposureSource} hold small data in Java arrays; large data comes
 * from a data plugin (Arrow, Parquet).
 */
package org.causalcvr.api.data;
