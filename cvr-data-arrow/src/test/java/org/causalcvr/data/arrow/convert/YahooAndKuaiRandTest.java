package org.causalcvr.data.arrow.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.causalcvr.api.DataException;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Yahoo! R3 and KuaiRand on small fixtures written in their publishers' formats. */
class YahooAndKuaiRandTest {
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

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) {
            s += v;
        }
        return s;
    }

    // ---- Yahoo! R3: "user<TAB>item<TAB>rating", 1-based ids

    /** 4 users x 6 songs; user 4 and song 6 appear only in the random file. */
    private Path yahoo() throws IOException {
        Path folder = dir.resolve("yahoo");
        Files.createDirectories(folder);
        Files.writeString(
                folder.resolve(YahooR3Converter.TRAIN_FILE),
                String.join(
                        "\n", "1\t1\t5", "1\t2\t1", "1\t3\t4", "2\t1\t2", "2\t5\t3", "3\t2\t5",
                        "3\t4\t4", "")); // 7 ratings, 4 of them >= 4
        Files.writeString(
                folder.resolve(YahooR3Converter.TEST_FILE),
                String.join(
                        "\n", "1\t4\t1", "1\t6\t4", "2\t2\t5", "2\t3\t1", "3\t1\t2", "3\t6\t3",
                        "4\t1\t4", "4\t2\t5", "4\t3\t1", "4\t5\t2", "4\t6\t5", "3\t3\t4", "2\t6\t2",
                        "1\t5\t1", "3\t5\t4", "2\t4\t3", "1\t1\t5", "4\t4\t4", "3\t4\t2", "2\t1\t1",
                        "")); // 20 ratings, 9 of them >= 4
        return folder;
    }

    @Test
    void yahooR3AllPairsAreTrainingExposuresAndTheRandomSetIsTheTest() throws IOException {
        var result =
                YahooR3Converter.convert(
                        yahoo(),
                        dir.resolve("out"),
                        new CoatConverter.Options(
                                4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0),
                        memory);
        ArrayExposureBatch train = read(result.train());
        ArrayExposureBatch test = read(result.test());
        assertThat(train.schema().cardinalities())
                .containsEntry("user", 4L)
                .containsEntry("item", 6L);
        assertThat(train.size()).isEqualTo(4 * 6);
        assertThat(sum(train.clickLabels())).isEqualTo(7);
        assertThat(sum(train.conversionLabels())).isEqualTo(4);
        // row u*6+i is (u, i), 0-based: file line "3 4 4" is user 2, item 3, a conversion
        int row = 2 * 6 + 3;
        assertThat(train.singleValued()[0][row]).isEqualTo(2);
        assertThat(train.singleValued()[1][row]).isEqualTo(3);
        assertThat(train.clickLabels()[row]).isEqualTo(1);
        assertThat(train.conversionLabels()[row]).isEqualTo(1);
        assertThat(train.groupIds()[row]).isEqualTo(2);
        assertThat(test.size()).isEqualTo(20);
        assertThat(sum(test.clickLabels())).isEqualTo(20);
        assertThat(sum(test.conversionLabels())).isEqualTo(9);
        assertThat(result.validation()).isEmpty();
    }

    @Test
    void yahooR3FiveFiveNinetySharesTheRandomSetOutBySeed() throws IOException {
        var opts = new CoatConverter.Options(4, CoatConverter.Protocol.FIVE_FIVE_NINETY, 3);
        var result = YahooR3Converter.convert(yahoo(), dir.resolve("out"), opts, memory);
        // 5% of 20 is 1: one rating appended to training, one validation, 18 test
        assertThat(read(result.train()).size()).isEqualTo(24 + 1);
        assertThat(read(result.validation().orElseThrow()).size()).isEqualTo(1);
        assertThat(read(result.test()).size()).isEqualTo(18);
    }

    @Test
    void yahooR3BadLinesAreNamed() throws IOException {
        Path folder = yahoo();
        Files.writeString(folder.resolve(YahooR3Converter.TEST_FILE), "1\t1\t4\n0\t2\t3\n");
        var opts = new CoatConverter.Options(4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0);
        assertThatThrownBy(() -> YahooR3Converter.convert(folder, dir.resolve("bad"), opts, memory))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(YahooR3Converter.TEST_FILE)
                .hasMessageContaining("line 2")
                .hasMessageContaining("not 1-based");
        Files.writeString(folder.resolve(YahooR3Converter.TEST_FILE), "1\t1\t6\n");
        assertThatThrownBy(() -> YahooR3Converter.convert(folder, dir.resolve("bad"), opts, memory))
                .hasMessageContaining("rating 6 is outside 1..5");
        assertThat(dir.resolve("bad").resolve("train.arrow")).doesNotExist();
    }

    // ---- KuaiRand: CSV logs with the publishers' header

    private static final String HEADER =
            "user_id,video_id,date,hourmin,time_ms,is_click,is_like,is_follow,is_comment,"
                    + "is_forward,is_hate,long_view,play_time_ms,duration_ms,profile_stay_time,"
                    + "comment_stay_time,is_profile_enter,is_rand,tab";

    /** A log line: the columns the converter reads, the rest plausible. */
    private static String line(
            int user,
            int video,
            int hourmin,
            int click,
            int like,
            int longView,
            int rand,
            int tab) {
        return user
                + ","
                + video
                + ",20220422,"
                + hourmin
                + ",1650556800000.0,"
                + click
                + ","
                + like
                + ",0,0,0,0,"
                + longView
                + ",1200,20000,0,0,0,"
                + rand
                + ","
                + tab;
    }

    private Path standard;
    private Path random;

    private void kuaiRand() throws IOException {
        List<String> std = new ArrayList<>(List.of(HEADER));
        // 12 rows: 6 clicks, 3 likes after a click, 1 like without a click
        std.add(line(0, 10, 900, 1, 1, 1, 0, 1));
        std.add(line(0, 11, 905, 0, 0, 0, 0, 1));
        std.add(line(0, 12, 1030, 1, 0, 1, 0, 1));
        std.add(line(1, 10, 1200, 1, 1, 0, 0, 0));
        std.add(line(1, 13, 1201, 0, 1, 0, 0, 0)); // like without click
        std.add(line(1, 14, 1202, 0, 0, 1, 0, 0));
        std.add(line(2, 10, 2359, 1, 0, 0, 0, 4));
        std.add(line(2, 15, 0, 0, 0, 0, 0, 4));
        std.add(line(3, 16, 1315, 1, 1, 1, 0, 2));
        std.add(line(3, 17, 1316, 0, 0, 0, 0, 2));
        std.add(line(4, 18, 745, 1, 0, 1, 0, 1));
        std.add(line(4, 19, 746, 0, 0, 0, 0, 1));
        standard = dir.resolve("log_standard_4_08_to_4_21_pure.csv");
        Files.write(standard, std);
        List<String> rnd = new ArrayList<>(List.of(HEADER));
        // 40 random exposures of video 20..59 to users 0..4: every 4th clicked, every 8th liked
        for (int k = 0; k < 40; k++) {
            int click = k % 4 == 0 ? 1 : 0;
            int like = k % 8 == 0 ? 1 : 0;
            rnd.add(line(k % 5, 20 + k, 1000 + k, click, like, click, 1, 3));
        }
        random = dir.resolve("log_random_4_22_to_5_08_pure.csv");
        Files.write(random, rnd);
    }

    @Test
    void kuaiRandStandardLogsTrainAndTheRandomLogTests() throws IOException {
        kuaiRand();
        var result =
                KuaiRandConverter.convert(
                        List.of(standard),
                        random,
                        dir.resolve("out"),
                        new KuaiRandConverter.Options(
                                "is_like", CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0),
                        memory);
        ArrayExposureBatch train = read(result.train());
        ArrayExposureBatch test = read(result.test());
        assertThat(train.schema().names()).containsExactly("user", "item", "tab", "hour");
        assertThat(train.schema().cardinalities())
                .containsEntry("user", 5L)
                .containsEntry("item", 60L)
                .containsEntry("tab", 5L)
                .containsEntry("hour", 24L);
        assertThat(train.size()).isEqualTo(12);
        assertThat(sum(train.clickLabels())).isEqualTo(6);
        assertThat(sum(train.conversionLabels())).isEqualTo(3);
        // the like without a click (row 4) is no conversion, and is counted
        assertThat(train.conversionLabels()[4]).isZero();
        assertThat(result.reports().get(0).notes())
                .anySatisfy(n -> assertThat(n).contains("1 rows with is_like but no click"));
        assertThat(train.singleValued()[3][6]).isEqualTo(23); // hourmin 2359
        assertThat(train.singleValued()[2][6]).isEqualTo(4); // tab
        assertThat(train.groupIds()[6]).isEqualTo(2);
        assertThat(test.size()).isEqualTo(40);
        assertThat(sum(test.clickLabels())).isEqualTo(10);
        assertThat(sum(test.conversionLabels())).isEqualTo(5);

        var longView =
                KuaiRandConverter.convert(
                        List.of(standard),
                        random,
                        dir.resolve("lv"),
                        new KuaiRandConverter.Options(
                                "long_view", CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0),
                        memory);
        // long views after a click: rows 0, 2, 8, 10 (row 5 has no click)
        assertThat(sum(read(longView.train()).conversionLabels())).isEqualTo(4);
    }

    @Test
    void kuaiRandFiveFiveNinetyIsSeededAndDisjoint() throws IOException {
        kuaiRand();
        var opts =
                new KuaiRandConverter.Options(
                        "is_like", CoatConverter.Protocol.FIVE_FIVE_NINETY, 11);
        var a =
                KuaiRandConverter.convert(
                        List.of(standard), random, dir.resolve("a"), opts, memory);
        var b =
                KuaiRandConverter.convert(
                        List.of(standard), random, dir.resolve("b"), opts, memory);
        ArrayExposureBatch train = read(a.train());
        ArrayExposureBatch val = read(a.validation().orElseThrow());
        ArrayExposureBatch test = read(a.test());
        assertThat(train.size()).isEqualTo(12 + 2);
        assertThat(val.size()).isEqualTo(2);
        assertThat(test.size()).isEqualTo(36);
        TestBatches.assertSameRows(read(b.test()), test);
        Set<Integer> videos = new HashSet<>();
        for (ArrayExposureBatch part : List.of(train.slice(12, 14), val, test)) {
            for (int r = 0; r < part.size(); r++) {
                assertThat(videos.add(part.singleValued()[1][r])).isTrue();
            }
        }
        assertThat(videos).hasSize(40);
    }

    @Test
    void kuaiRandRefusesAMissingColumnAndAnUnknownSignal() throws IOException {
        kuaiRand();
        Files.writeString(random, "user_id,video_id,is_like\n1,2,0\n");
        var opts =
                new KuaiRandConverter.Options(
                        "is_like", CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 0);
        assertThatThrownBy(
                        () ->
                                KuaiRandConverter.convert(
                                        List.of(standard), random, dir.resolve("x"), opts, memory))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(random.toString())
                .hasMessageContaining("no column 'is_click'");
        assertThatThrownBy(
                        () ->
                                new KuaiRandConverter.Options(
                                        "is_purchase",
                                        CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST,
                                        0))
                .isInstanceOf(UnknownNameException.class)
                .hasMessageContaining("long_view");
    }
}
