/**
 * The Arrow data layer: the one exposure-log schema, streaming readers and an atomic writer, the
 * synthetic MNAR worlds ({@link org.causalcvr.data.arrow.synth}) and the converters of real data
 * ({@link org.causalcvr.data.arrow.convert}). No other module imports Arrow: callers see the
 * cvr-api types ({@link org.causalcvr.api.data.ExposureSource}, {@link
 * org.causalcvr.api.data.ExposureBatch}) and the few classes here.
 *
 * <pre>{@code
 * try (Allocators memory = Allocators.create()) {                 // once per program
 *     // generate
 *     SyntheticWorld world = SyntheticWorld.build(Presets.get("ali-ccp-like").withSeed(7));
 *     world.write(Path.of("train.arrow"), 10_000_000, memory);
 *     // read
 *     ExposureSource source = ArrowExposureSource.open(Path.of("train.arrow"), memory);
 *     try (BatchCursor cursor = source.open()) {
 *         while (cursor.next()) {
 *             ExposureBatch batch = cursor.batch();              // a view, valid until next()
 *         }
 *     }
 *     // convert
 *     CoatConverter.convert(Path.of("data/coat"), Path.of("out"),
 *             new CoatConverter.Options(4, CoatConverter.Protocol.of("5-5-90"), 7), memory.root());
 * }
 * }</pre>
 *
 * <p>Memory: one {@link org.apache.arrow.memory.RootAllocator} per program ({@link
 * org.causalcvr.data.arrow.Allocators}); every cursor and writer takes a child allocator and closes
 * it, so closing the root detects any leak. Errors in the data are one-line {@link
 * org.causalcvr.api.DataException}s naming the file, the column and the row (or batch, or line).
 */
package org.causalcvr.data.arrow;
