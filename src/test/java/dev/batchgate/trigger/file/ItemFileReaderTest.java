package dev.batchgate.trigger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemFileReaderTest {

    @TempDir
    Path dir;

    private List<ItemFileReader.Line> read(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        List<ItemFileReader.Line> lines = new ArrayList<>();
        try (ItemFileReader reader = ItemFileReader.open(file, ItemFileReader.Format.of(name).orElseThrow())) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }

    private List<ItemFileReader.Line> read(String name, String content) throws IOException {
        return read(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_read_one_trimmed_id_per_line_and_count_physical_lines_when_a_txt_has_blank_lines_and_crlf() throws IOException {
        List<ItemFileReader.Line> lines = read("ids.txt", "\uFEFFi-1\r\n\r\n  i-2  \n\ni-3");

        assertThat(lines).extracting(l -> l.item().key()).containsExactly("i-1", "i-2", "i-3");
        assertThat(lines).extracting(ItemFileReader.Line::number).containsExactly(1, 3, 5);
        assertThat(lines).extracting(ItemFileReader.Line::index).containsExactly(0, 1, 2);
        assertThat(lines.get(0).item().id().isTextual()).isTrue();
    }

    @Test
    void should_take_ids_or_items_with_params_when_a_jsonl_line_is_either() throws IOException {
        List<ItemFileReader.Line> lines = read("items.jsonl", "\"a\"\n7\n{\"id\": \"b\", \"params\": {\"zone\": \"eu\"}}\n");

        assertThat(lines).extracting(l -> l.item().key()).containsExactly("a", "7", "b");
        assertThat(lines.get(1).item().id().isInt()).isTrue();
        assertThat(lines.get(2).item().params().path("zone").asText()).isEqualTo("eu");
    }

    @Test
    void should_name_the_line_and_field_when_a_jsonl_line_is_wrong() throws IOException {
        List<ItemFileReader.Line> lines = read("items.jsonl",
                "{\"id\": \"a\"\n{\"id\": \"b\", \"params\": []}\n{\"id\": \"c\", \"extra\": 1}\n");

        assertThat(lines.get(0).errors().get(0).message()).startsWith("not valid JSON: ");
        assertThat(lines.get(0).errors().get(0).field()).isNull();
        assertThat(lines.get(1).errors().get(0)).isEqualTo(new ItemFileReader.LineError(2, "params", "params must be an object"));
        assertThat(lines.get(2).errors().get(0).field()).isEqualTo("extra");
    }

    @Test
    void should_make_the_other_columns_params_when_a_csv_has_an_id_column() throws IOException {
        List<ItemFileReader.Line> lines = read("tags.csv", "zone, id ,note\neu,i-1,\"a, \"\"quoted\"\" note\"\nus,i-2,\n");

        assertThat(lines).extracting(l -> l.item().key()).containsExactly("i-1", "i-2");
        assertThat(lines.get(0).item().params().path("note").asText()).isEqualTo("a, \"quoted\" note");
        assertThat(lines.get(0).number()).isEqualTo(2);
        assertThat(lines.get(1).item().params().path("note").asText()).isEmpty();
        assertThat(lines.get(1).item().params().path("zone").asText()).isEqualTo("us");
    }

    @Test
    void should_reject_the_header_or_the_row_when_a_csv_is_malformed() throws IOException {
        assertThat(read("a.csv", "name,zone\nx,y\n").get(0).errors().get(0))
                .isEqualTo(new ItemFileReader.LineError(1, "id", "header: there is no 'id' column (the other columns are params)"));
        assertThat(read("b.csv", "id,zone\ni-1\n").get(0).errors().get(0).message())
                .isEqualTo("the row has 1 columns, the header has 2");
        assertThat(read("c.csv", "id,zone\n\"i-1,eu\n").get(0).errors().get(0).message())
                .isEqualTo("column 1: a quoted field is not closed on this line");
        assertThat(read("d.csv", "id,id\n").get(0).errors().get(0).message()).isEqualTo("header: column 'id' appears twice");
    }

    @Test
    void should_name_the_line_when_a_line_is_not_utf8() throws IOException {
        byte[] content = {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'b', '\n'};

        List<ItemFileReader.Line> lines = read("ids.txt", content);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).errors().get(0)).isEqualTo(new ItemFileReader.LineError(2, null, "the line is not UTF-8 text"));
        assertThat(lines.get(2).item().key()).isEqualTo("b");
    }

    @Test
    void should_refuse_a_line_rather_than_hold_it_when_it_is_longer_than_the_limit() throws IOException {
        List<ItemFileReader.Line> lines = read("ids.txt", "a\n" + "x".repeat(ItemFileReader.MAX_LINE_BYTES + 1) + "\nb\n");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).errors().get(0).message()).isEqualTo("the line is longer than 1048576 bytes");
    }

    @Test
    void should_refuse_to_guess_when_the_extension_names_no_item_list() {
        assertThat(ItemFileReader.Format.of("ids.TXT")).contains(ItemFileReader.Format.TXT);
        assertThat(ItemFileReader.Format.of("ids.xlsx")).isEmpty();
        assertThatThrownBy(() -> CsvFields.split("\"a\"b")).hasMessageStartingWith("column 1: unexpected text after a closing quote");
        assertThat(CsvFields.split(",a,,\"\"")).containsExactly("", "a", "", "");
    }
}
