package org.causalcvr.data.arrow.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.TestBatches;
import org.causalcvr.data.arrow.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertersTest {
    @TempDir Path dir;
    Allocators memory;

    @BeforeEach
    void start() {
        memory = Allocators.create();
    }

    @AfterEach
    void leakCheck() {
        memory.close();
    }

    private ArrayExposureBatch read(Path file) {
        return TestBatches.readAll(ArrowExposureSource.file(file, memory));
    }

    @Test
    void coatMnarTrainMcarTest() {
        Path coat = TestData.realData("coat");
        var result =
                CoatConverter.convert(
                        coat,
                        dir,
                        new CoatConverter.Options(
                                4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0),
                        memory.root());
        ArrayExposureBatch train = read(result.train());
        ArrayExposureBatch test = read(result.test());
        assertThat(result.validation()).isEmpty();
        assertThat(train.size()).isEqualTo(290 * 300);
        assertThat(sum(train.clickLabels())).isEqualTo(6_960);
        // SOURCE.md histogram: ratings 4 and 5 in train are 1275 + 630
        assertThat(sum(train.conversionLabels())).isEqualTo(1_275 + 630);
        assertThat(test.size()).isEqualTo(4_640);
        assertThat(sum(test.clickLabels())).isEqualTo(4_640);
        assertThat(sum(test.conversionLabels())).isEqualTo(641 + 219);
        var schema = train.schema();
        assertThat(schema.names())
                .containsExactly(
                        "user",
                        "item",
                        "user_gender",
                        "user_age",
                        "user_location",
                        "user_fashioninterest",
                        "item_gender",
                        "item_jackettype",
                        "item_color",
                        "item_onfrontpage");
        assertThat(schema.cardinalities())
                .containsEntry("item_jackettype", 16L)
                .containsEntry("user_age", 6L);
        // row u*300+i is (u, i); the group is the user
        assertThat(train.singleValued()[0][300 * 7 + 5]).isEqualTo(7);
        assertThat(train.singleValued()[1][300 * 7 + 5]).isEqualTo(5);
        assertThat(train.groupIds()[300 * 7 + 5]).isEqualTo(7);
        assertThat(result.reports())
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.droppedRows()).isZero());

        var three =
                CoatConverter.convert(
                        coat,
                        dir.resolve("t3"),
                        new CoatConverter.Options(
                                3, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0),
                        memory.root());
        assertThat(sum(read(three.train()).conversionLabels())).isEqualTo(1_717 + 1_275 + 630);
    }

    @Test
    void coatFiveFiveNinetyIsSeededAndDisjoint() {
        Path coat = TestData.realData("coat");
        var opts = new CoatConverter.Options(4, CoatConverter.Protocol.of("5-5-90"), 17);
        var a = CoatConverter.convert(coat, dir.resolve("a"), opts, memory.root());
        var b = CoatConverter.convert(coat, dir.resolve("b"), opts, memory.root());
        ArrayExposureBatch train = read(a.train());
        ArrayExposureBatch val = read(a.validation().orElseThrow());
        ArrayExposureBatch test = read(a.test());
        assertThat(val.size()).isEqualTo(232);
        assertThat(train.size()).isEqualTo(290 * 300 + 232);
        assertThat(test.size()).isEqualTo(4_640 - 464);
        TestBatches.assertSameRows(read(b.test()), test);
        var c =
                CoatConverter.convert(
                        coat,
                        dir.resolve("c"),
                        new CoatConverter.Options(4, CoatConverter.Protocol.FIVE_FIVE_NINETY, 18),
                        memory.root());
        assertThat(read(c.validation().orElseThrow()).singleValued()[1])
                .isNotEqualTo(val.singleValued()[1]);
        var seen = new java.util.HashSet<Long>();
        for (ArrayExposureBatch part : List.of(train.slice(290 * 300, train.size()), val, test)) {
            for (int r = 0; r < part.size(); r++) {
                assertThat(seen.add(part.singleValued()[0][r] * 1000L + part.singleValued()[1][r]))
                        .isTrue();
            }
        }
        assertThat(seen).hasSize(4_640);
        assertThatThrownBy(() -> CoatConverter.Protocol.of("5-5-91"))
                .hasMessageContaining("5-5-90");
    }

    /**
     * Fold 2 of 5-5-90 swaps the two 5% slices: its training file appends the ratings fold 1
     * validates on, its validation file holds the ratings fold 1 appends, and the test file is the
     * same; the rating-level propensity is estimated from fold 2's own appended slice.
     */
    @Test
    void coatFoldTwoSwapsTheTwoFivePercentSlicesAndKeepsTheTestSet() {
        Path coat = TestData.realData("coat");
        var one =
                CoatConverter.convert(
                        coat,
                        dir.resolve("f1"),
                        new CoatConverter.Options(
                                4,
                                CoatConverter.Protocol.FIVE_FIVE_NINETY,
                                17,
                                0.0,
                                CoatConverter.PropensityEstimate.NAIVE_BAYES_RATING,
                                1),
                        memory.root());
        var two =
                CoatConverter.convert(
                        coat,
                        dir.resolve("f2"),
                        new CoatConverter.Options(
                                4,
                                CoatConverter.Protocol.FIVE_FIVE_NINETY,
                                17,
                                0.0,
                                CoatConverter.PropensityEstimate.NAIVE_BAYES_RATING,
                                2),
                        memory.root());
        ArrayExposureBatch train1 = read(one.train());
        ArrayExposureBatch train2 = read(two.train());
        int mnar = 290 * 300;
        assertThat(train2.size()).isEqualTo(train1.size());
        assertThat(ratings(train2.slice(mnar, train2.size())))
                .isEqualTo(ratings(read(one.validation().orElseThrow())));
        assertThat(ratings(read(two.validation().orElseThrow())))
                .isEqualTo(ratings(train1.slice(mnar, train1.size())));
        assertThat(ratings(read(two.test()))).isEqualTo(ratings(read(one.test())));
        // the self-selected part is the same; the propensity column comes from each fold's slice
        assertThat(ratings(train2.slice(0, mnar))).isEqualTo(ratings(train1.slice(0, mnar)));
        assertThat(train2.propensities()).isNotEqualTo(train1.propensities());
        assertThat(two.reports().get(0).notes()).anyMatch(n -> n.contains("fold 2"));
        assertThatThrownBy(
                        () ->
                                new CoatConverter.Options(
                                        4,
                                        CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST,
                                        1,
                                        0.0,
                                        CoatConverter.PropensityEstimate.NONE,
                                        2))
                .hasMessageContaining("fold 2 swaps the two 5% slices of protocol 5-5-90");
    }

    /** Each row's user, item, click and conversion, in file order. */
    private static List<String> ratings(ArrayExposureBatch b) {
        var out = new java.util.ArrayList<String>();
        for (int r = 0; r < b.size(); r++) {
            out.add(
                    b.singleValued()[0][r]
                            + ","
                            + b.singleValued()[1][r]
                            + ","
                            + b.clickLabels()[r]
                            + ","
                            + b.conversionLabels()[r]);
        }
        return out;
    }

    @Test
    void coatValidationShareHoldsOutSelfSelectedRatingsAndNeverTheRandomSet() {
        Path coat = TestData.realData("coat");
        var opts =
                new CoatConverter.Options(4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 5, 0.1);
        var a = CoatConverter.convert(coat, dir.resolve("a"), opts, memory.root());
        ArrayExposureBatch train = read(a.train());
        ArrayExposureBatch val = read(a.validation().orElseThrow());
        ArrayExposureBatch test = read(a.test());
        // 10% of the 6960 self-selected ratings, left out of training altogether
        assertThat(val.size()).isEqualTo(696);
        assertThat(sum(val.clickLabels())).isEqualTo(696);
        assertThat(train.size()).isEqualTo(290 * 300 - 696);
        assertThat(sum(train.clickLabels())).isEqualTo(6_960 - 696);
        // every rating >= 4 of the self-selected set is in exactly one of the two files
        assertThat(sum(train.conversionLabels()) + sum(val.conversionLabels()))
                .isEqualTo(1_275 + 630);
        // the test set is the whole random set, untouched
        assertThat(test.size()).isEqualTo(4_640);
        assertThat(sum(test.conversionLabels())).isEqualTo(641 + 219);
        var trainCells = new java.util.HashSet<Long>();
        for (int r = 0; r < train.size(); r++) {
            trainCells.add(train.singleValued()[0][r] * 1000L + train.singleValued()[1][r]);
        }
        for (int r = 0; r < val.size(); r++) {
            int u = val.singleValued()[0][r];
            int i = val.singleValued()[1][r];
            assertThat(trainCells).doesNotContain(u * 1000L + i);
        }
        // seeded: the same seed the same cells, another seed others
        var again = CoatConverter.convert(coat, dir.resolve("b"), opts, memory.root());
        TestBatches.assertSameRows(read(again.validation().orElseThrow()), val);
        var other =
                CoatConverter.convert(
                        coat,
                        dir.resolve("c"),
                        new CoatConverter.Options(
                                4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 6, 0.1),
                        memory.root());
        assertThat(read(other.validation().orElseThrow()).singleValued()[1])
                .isNotEqualTo(val.singleValued()[1]);
        assertThat(a.reports().get(0).summary()).contains("696 self-selected ratings held out");
        assertThatThrownBy(
                        () ->
                                new CoatConverter.Options(
                                        4, CoatConverter.Protocol.FIVE_FIVE_NINETY, 1, 0.1))
                .hasMessageContaining("5-5-90");
        assertThatThrownBy(
                        () ->
                                new CoatConverter.Options(
                                        4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 1, 0.7))
                .hasMessageContaining("[0, 0.5]");
    }

    @Test
    void aliCcpProcessedSample() {
        Path data = TestData.realData("ali-ccp-sample");
        List<Path> in =
                List.of("train", "val", "test").stream()
                        .map(s -> data.resolve("ali_ccp_" + s + "_sample.csv"))
                        .toList();
        List<Path> out =
                List.of(
                        dir.resolve("train.arrow"),
                        dir.resolve("val.arrow"),
                        dir.resolve("test.arrow"));
        var reports = AliCcpProcessed.convert(in, out, null, memory.root());
        ArrayExposureBatch train = read(out.get(0));
        assertThat(train.size()).isEqualTo(100);
        assertThat(sum(train.clickLabels())).isEqualTo(7);
        assertThat(sum(train.conversionLabels())).isEqualTo(1);
        assertThat(train.schema().size()).isEqualTo(23);
        assertThat(train.schema().names()).doesNotContain("click", "purchase");
        assertThat(train.groupIds()).containsOnly(1L);
        assertThat(read(out.get(1)).size()).isEqualTo(50);
        assertThat(sum(read(out.get(2)).clickLabels())).isEqualTo(2);
        // the 8 dense D* columns are dense fields now, no longer ignored
        assertThat(reports.get(0).notes()).noneMatch(n -> n.contains("D109_14"));
        assertThat(train.schema().dense())
                .extracting(org.causalcvr.api.data.DenseField::name)
                .containsExactlyElementsOf(AliCcpProcessed.DENSE);
        assertThat(train.schema().dense().get(4).role()).isEqualTo(FieldRole.CROSS);
        // first data line: D109_14 = 0.4734; third line: D508 = 0.5605, D853 = 0.344
        assertThat(train.denseFeature(0).getFloat(0)).isEqualTo(0.4734f);
        assertThat(train.denseFeature(4).getFloat(2)).isEqualTo(0.5605f);
        assertThat(train.denseFeature(7).getFloat(2)).isEqualTo(0.344f);
        // one schema for all splits: cardinality = the largest index over the three files + 1
        assertThat(read(out.get(2)).schema()).isEqualTo(train.schema());
    }

    @Test
    void aliCcpProcessedRefusesAnIdBeyondADeclaredCardinality() {
        Path data = TestData.realData("ali-ccp-sample");
        assertThatThrownBy(
                        () ->
                                AliCcpProcessed.convert(
                                        List.of(data.resolve("ali_ccp_train_sample.csv")),
                                        List.of(dir.resolve("x.arrow")),
                                        Map.of("205", 3L),
                                        memory.root()))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll("ali_ccp_train_sample.csv", "column '205'", "line ");
        assertThat(dir.resolve("x.arrow")).doesNotExist();
    }

    @Test
    void genericCsvWithListsGroupsTruthAndBadRows() throws IOException {
        Path csv = dir.resolve("log.csv");
        Files.writeString(
                csv,
                "user;clicked;bought;tags;p;q;note\r\n"
                        + "3;1;1;1|2;0.5;0.2;\"a;b\"\r\n"
                        + "4;0;0;;0.25;0.1;x\r\n"
                        + "5;0;1;7;0.1;0.3;orphan\r\n"
                        + "3;1;0;2;1;0;y\r\n");
        CsvMapping mapping =
                new CsvMapping(
                        ';',
                        "clicked",
                        "bought",
                        List.of(
                                CsvMapping.Feature.single("user", FieldRole.USER, 10),
                                new CsvMapping.Feature("tags", "tags", FieldRole.ITEM, 0, '|')),
                        "user",
                        "p",
                        "q",
                        ConversionPolicy.DROP_AND_COUNT);
        var report =
                CsvConverter.convert(
                                mapping,
                                List.of(csv),
                                List.of(dir.resolve("log.arrow")),
                                memory.root())
                        .get(0);
        assertThat(report.rowsRead()).isEqualTo(4);
        assertThat(report.rowsWritten()).isEqualTo(3);
        assertThat(report.dropped()).containsEntry("conversion without click", 1L);
        assertThat(report.summary()).contains("ignored columns [note]");
        ArrayExposureBatch b = read(dir.resolve("log.arrow"));
        assertThat(b.clickLabels()).containsExactly(1, 0, 1);
        assertThat(b.multiValued()[1].offsets()).containsExactly(0, 2, 2, 3);
        assertThat(b.multiValued()[1].idValues()).containsExactly(1, 2, 2);
        assertThat(b.schema().field(1).cardinality()).isEqualTo(8);
        assertThat(b.groupIds()).containsExactly(3, 4, 3);
        assertThat(b.trueCvrs()).containsExactly(0.2f, 0.1f, 0f);

        assertThatThrownBy(
                        () ->
                                CsvConverter.convert(
                                        mapping.withPolicy(ConversionPolicy.FAIL),
                                        List.of(csv),
                                        List.of(dir.resolve("fail.arrow")),
                                        memory.root()))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll("log.csv", "column 'bought'", "line 4", "without a click");
        assertThat(dir.resolve("fail.arrow")).doesNotExist();

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "user;clicked;bought;tags;p;q;note\n3;2;0;1;0.5;0.2;x\n");
        assertThatThrownBy(
                        () ->
                                CsvConverter.convert(
                                        mapping,
                                        List.of(bad),
                                        List.of(dir.resolve("bad.arrow")),
                                        memory.root()))
                .hasMessageContainingAll("bad.csv", "column 'clicked'", "line 2", "not 0 or 1");
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "user;clicked;bought;tags;p;q;note\n3;1;0;1;0.5;NaN;x\n");
        assertThatThrownBy(
                        () ->
                                CsvConverter.convert(
                                        mapping,
                                        List.of(nan),
                                        List.of(dir.resolve("nan.arrow")),
                                        memory.root()))
                .hasMessageContainingAll("nan.csv", "column 'q'", "line 2", "NaN");
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertThatThrownBy(
                        () ->
                                CsvConverter.convert(
                                        mapping,
                                        List.of(empty),
                                        List.of(dir.resolve("e.arrow")),
                                        memory.root()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("empty file");
        Path headerOnly =
                Files.writeString(dir.resolve("header.csv"), "user;clicked;bought;tags;p;q;note\n");
        assertThatThrownBy(
                        () ->
                                CsvConverter.convert(
                                        mapping.withPolicy(ConversionPolicy.FAIL),
                                        List.of(headerOnly),
                                        List.of(dir.resolve("h.arrow")),
                                        memory.root()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no rows");
        assertThatThrownBy(
                        () ->
                                CsvMapping.of(
                                        "click",
                                        "conversion",
                                        List.of(
                                                CsvMapping.Feature.single(
                                                        "click", FieldRole.USER, 2))))
                .hasMessageContaining("can never be a feature");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains(".tmp-"));
        }
    }

    // ---------------------------------------------------------------- raw Ali-CCP fixture

    private static String features(List<String[]> items) {
        StringBuilder sb = new StringBuilder();
        for (String[] it : items) {
            if (sb.length() > 0) {
                sb.append('\u0001');
            }
            sb.append(it[0]).append('\u0002').append(it[1]).append('\u0003').append(it[2]);
        }
        return sb.toString();
    }

    /** Writes a small raw Ali-CCP fixture: 20 users (common rows), 300 samples. */
    private Path[] rawFixture(String name, long seed) throws IOException {
        Random rnd = new Random(seed);
        StringBuilder common = new StringBuilder();
        for (int u = 0; u < 20; u++) {
            List<String[]> items = new java.util.ArrayList<>();
            items.add(new String[] {"101", String.valueOf(1000 + u), "1.0"});
            items.add(new String[] {"121", String.valueOf(u % 3), "1.0"});
            items.add(new String[] {"999", "5", "1.0"}); // a field nobody keeps
            int hist = 1 + rnd.nextInt(4);
            for (int j = 0; j < hist; j++) {
                items.add(
                        new String[] {
                            "109_14",
                            String.valueOf(rnd.nextInt(6)),
                            String.format("%.3f", 0.5 + rnd.nextFloat())
                        });
            }
            common.append("cf")
                    .append(u)
                    .append(',')
                    .append(items.size())
                    .append(',')
                    .append(features(items))
                    .append('\n');
        }
        StringBuilder skeleton = new StringBuilder();
        for (int s = 0; s < 300; s++) {
            int click = rnd.nextInt(10) < 3 ? 1 : 0;
            int buy = click == 1 && rnd.nextInt(4) == 0 ? 1 : 0;
            if (s == 5) {
                click = 0;
                buy = 1;
            }
            String cf = s == 7 ? "cf-unknown" : "cf" + rnd.nextInt(20);
            List<String[]> items =
                    List.of(
                            new String[] {
                                "205", String.valueOf(rnd.nextInt(s < 150 ? 30 : 40)), "1.0"
                            },
                            new String[] {"206", String.valueOf(rnd.nextInt(5)), "1.0"},
                            new String[] {"301", String.valueOf(1 + rnd.nextInt(3)), "1.0"});
            skeleton.append(s)
                    .append(',')
                    .append(click)
                    .append(',')
                    .append(buy)
                    .append(',')
                    .append(cf)
                    .append(',')
                    .append(items.size())
                    .append(',')
                    .append(features(items))
                    .append('\n');
        }
        Path sk = Files.writeString(dir.resolve("sample_skeleton_" + name + ".csv"), skeleton);
        Path cf = Files.writeString(dir.resolve("common_features_" + name + ".csv"), common);
        return new Path[] {sk, cf};
    }

    @Test
    void rawAliCcpJoinsEncodesAndCountsWhatItDrops() throws IOException {
        Path[] train = rawFixture("train", 1);
        Path[] test = rawFixture("test", 2);
        var options = AliCcpRawConverter.Options.defaults(2);
        var reports =
                AliCcpRawConverter.convert(
                        List.of(
                                new AliCcpRawConverter.Split(
                                        train[0], train[1], dir.resolve("train.arrow")),
                                new AliCcpRawConverter.Split(
                                        test[0], test[1], dir.resolve("test.arrow"))),
                        options,
                        memory.root());
        ConversionReport r = reports.get(0);
        assertThat(r.rowsRead()).isEqualTo(300);
        assertThat(r.dropped())
                .containsEntry("click 0 with buy 1", 1L)
                .containsEntry("unknown common_feature_index", 1L);
        assertThat(r.rowsWritten()).isEqualTo(298);
        ArrayExposureBatch b = read(dir.resolve("train.arrow"));
        assertThat(b.size()).isEqualTo(298);
        var schema = b.schema();
        assertThat(schema.size()).isEqualTo(23);
        int hist = schema.indexOf("109_14");
        assertThat(schema.field(hist).multiValued()).isTrue();
        assertThat(b.multiValued()[hist].weightValues()).isNotNull();
        for (float w : b.multiValued()[hist].weightValues()) {
            assertThat(w).isBetween(0.5f, 1.5f);
        }
        // every user id seen: 20 users (each over minCount 2) + OOV
        assertThat(schema.field(schema.indexOf("101")).cardinality()).isEqualTo(21);
        assertThat(b.singleValued()[schema.indexOf("101")]).doesNotContain(0);
        // fields absent from the fixture encode as the OOV id
        assertThat(b.singleValued()[schema.indexOf("853")]).containsOnly(0);
        for (long g : b.groupIds()) {
            assertThat(g).isBetween(1000L, 1019L);
        }
        // items 30..39 appear only in the test split's second half: OOV there
        ArrayExposureBatch t = read(dir.resolve("test.arrow"));
        int item = schema.indexOf("205");
        assertThat(t.schema()).isEqualTo(schema);
        assertThat(t.singleValued()[item]).contains(0);

        var lastOpt =
                options.withPolicy(AliCcpRawConverter.MultiValuedPolicy.LAST, 0)
                        .withEncoding(AliCcpRawConverter.Encoding.hashing(64));
        AliCcpRawConverter.convert(
                List.of(
                        new AliCcpRawConverter.Split(
                                train[0], train[1], dir.resolve("last.arrow"))),
                lastOpt,
                memory.root());
        ArrayExposureBatch last = read(dir.resolve("last.arrow"));
        assertThat(last.schema().field(hist).multiValued()).isFalse();
        assertThat(last.schema().field(hist).cardinality()).isEqualTo(64);
        var firstK = options.withPolicy(AliCcpRawConverter.MultiValuedPolicy.FIRST_K, 2);
        AliCcpRawConverter.convert(
                List.of(new AliCcpRawConverter.Split(train[0], train[1], dir.resolve("k.arrow"))),
                firstK,
                memory.root());
        var lists = read(dir.resolve("k.arrow")).multiValued()[hist];
        for (int row = 0; row < lists.size(); row++) {
            assertThat(lists.end(row) - lists.start(row)).isBetween(1, 2);
        }
        assertThatThrownBy(
                        () ->
                                AliCcpRawConverter.convert(
                                        List.of(
                                                new AliCcpRawConverter.Split(
                                                        train[0],
                                                        train[1],
                                                        dir.resolve("f.arrow"))),
                                        options.withConversionWithoutClick(ConversionPolicy.FAIL),
                                        memory.root()))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll("sample_skeleton_train.csv", "column 'buy'", "line 6");
    }

    @Test
    void rawAliCcpRejectsMalformedLines() throws IOException {
        Path[] train = rawFixture("train", 1);
        String text = Files.readString(train[0]);
        Path broken =
                Files.writeString(
                        dir.resolve("broken.csv"),
                        text.replaceFirst("\n1,([01]),([01]),(cf\\d+),3,", "\n1,$1,$2,$3,4,"));
        assertThatThrownBy(
                        () ->
                                AliCcpRawConverter.convert(
                                        List.of(
                                                new AliCcpRawConverter.Split(
                                                        broken, train[1], dir.resolve("b.arrow"))),
                                        AliCcpRawConverter.Options.defaults(1),
                                        memory.root()))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll(
                        "broken.csv", "column 'feature_num'", "line 2", "declares 4");
        Path noSep = Files.writeString(dir.resolve("nosep.csv"), "0,1,0,cf1,1,205\u00027\n");
        assertThatThrownBy(
                        () ->
                                AliCcpRawConverter.convert(
                                        List.of(
                                                new AliCcpRawConverter.Split(
                                                        noSep, train[1], dir.resolve("n.arrow"))),
                                        AliCcpRawConverter.Options.defaults(1),
                                        memory.root()))
                .hasMessageContainingAll("nosep.csv", "column 'feature_list'", "line 1");
        assertThat(dir.resolve("b.arrow")).doesNotExist();
    }

    private static long sum(int[] v) {
        long s = 0;
        for (int x : v) {
            s += x;
        }
        return s;
    }
}
