-- Demo schema for ShardSync, loaded on the source (scripts/demo.sh does it):
--   scripts/local-mariadb.sh sql 3307 < scripts/demo-schema.sql
-- Idempotent: drops and recreates the `demo` database. Needs MariaDB (the SEQUENCE engine seeds the rows).
--
--   orders     sharded by user_id (jobs-config/demo.yaml: shardKey user_id, versionColumn version)
--   all_types  one column of every MySQL/MariaDB type with edge values, to prove exact round trips
--   payments   分库分表: by user_id over the shards, by id over 4 tables on each (payments_0 … payments_3)

SET NAMES utf8mb4;
DROP DATABASE IF EXISTS demo;
CREATE DATABASE demo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE demo;

CREATE TABLE orders (
    id         BIGINT NOT NULL AUTO_INCREMENT,
    user_id    BIGINT NOT NULL,
    status     ENUM('new', 'paid', 'shipped', 'cancelled'),
    amount     DECIMAL(12, 2),
    note       VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
    version    BIGINT NOT NULL,
    updated_at DATETIME(6),
    PRIMARY KEY (id),
    -- The change generator picks rows by user; verify and the check scan by user too.
    KEY orders_user_id (user_id)
) ENGINE = InnoDB;

CREATE TABLE all_types (
    id                INT NOT NULL,
    c_tinyint         TINYINT,
    c_smallint        SMALLINT,
    c_mediumint       MEDIUMINT,
    c_int             INT,
    c_bigint          BIGINT,
    c_bigint_unsigned BIGINT UNSIGNED,
    c_decimal         DECIMAL(20, 6),
    c_float           FLOAT,
    c_double          DOUBLE,
    c_bit1            BIT(1),
    c_bit12           BIT(12),
    c_date            DATE,
    c_time            TIME(3),
    c_datetime        DATETIME(6),
    c_timestamp       TIMESTAMP(6) NULL DEFAULT NULL,
    c_year            YEAR,
    c_char            CHAR(10),
    c_varchar         VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
    c_text            TEXT,
    c_enum            ENUM('red', 'green', 'blue'),
    c_set             SET('a', 'b', 'c', 'd'),
    c_json            JSON,
    c_binary          BINARY(4),
    c_varbinary       VARBINARY(16),
    c_blob            BLOB,
    c_never_set       VARCHAR(20) NULL,  -- left NULL in every row
    version           INT NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

INSERT INTO all_types
    (id, c_tinyint, c_smallint, c_mediumint, c_int, c_bigint, c_bigint_unsigned, c_decimal, c_float, c_double,
     c_bit1, c_bit12, c_date, c_time, c_datetime, c_timestamp, c_year, c_char, c_varchar, c_text, c_enum, c_set,
     c_json, c_binary, c_varbinary, c_blob, version)
VALUES
    -- Ordinary values.
    (1, 1, 2, 3, 4, 5, 6, 1234.5678, 1.5, 3.141592653589793,
     b'1', b'000000000101', '2024-02-29', '12:34:56.789', '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.123456',
     2024, 'abc', 'hello', 'some text', 'green', 'a,c',
     '{"a": 1, "b": "x"}', 'ab', 'hello', 'blob', 1),
    -- Maxima.
    (2, 127, 32767, 8388607, 2147483647, 9223372036854775807, 18446744073709551615, 99999999999999.999999,
     3.40282e38, 1.7976931348623157e308,
     b'1', b'111111111111', '9999-12-31', '838:59:59.000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999',
     2155, 'ZZZZZZZZZZ', REPEAT('z', 100), REPEAT('long text ', 1000), 'blue', 'a,b,c,d',
     '{"max": 18446744073709551615, "big": 1.7976931348623157e308}', 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF,
     REPEAT(0xFF, 1000), 1),
    -- Minima and negatives (negative TIME is read right by the snapshot only, README).
    (3, -128, -32768, -8388608, -2147483648, -9223372036854775808, 0, -99999999999999.999999,
     -1.5e-30, -2.2250738585072014e-308,
     b'0', b'000000000000', '1000-01-01', '-838:59:59.000', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000',
     1901, 'a', '-', '-', 'red', 'd',
     '[]', 0x00000000, 0x00, 0x00, 1),
    -- Awkward values: emoji, bytes 0x00/0xFF, TIME beyond 24 h with a half second, alternating bits, nested JSON.
    (4, -1, -1, -1, -1, -1, 9223372036854775808, -1234.500001,
     -0.0, 0.1,
     b'1', b'101010101010', '1970-01-01', '25:00:00.5', '2000-01-01 00:00:00.000001', '2000-01-01 00:00:00.000001',
     1970, 'ÄÖÜ ß', 'emoji 😀 and 🇩🇪, quote '' and backslash \\', 'tab\tnewline\ncarriage\rend', 'red', 'b,d',
     '{"user": {"name": "Zoë 😀", "tags": ["a", "b", [1, 2, {"deep": null}]], "ok": true}}',
     0x00FF00FF, 0x00FF7F80, 0x000102FEFF, 1),
    -- Empty strings and empty values, distinct from NULL (YEAR 0000 is a known limitation, README).
    (5, 0, 0, 0, 0, 0, 0, 0.000000,
     0, 0,
     b'0', b'000000000001', '2000-02-29', '00:00:00.000', '2000-01-01 00:00:00.000000', NULL,
     2000, '', '', '', NULL, '',
     '{}', '', '', '', 1),
    -- NULL in every nullable column.
    (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, 1);

-- Seeds p_count orders with values derived from the row number, so every load holds the same rows.
-- user_id is spread over 1..1000 by CRC32, which mixes the shards (user_id % shards) independently of id.
DELIMITER //
CREATE PROCEDURE seed_orders(IN p_count INT UNSIGNED)
BEGIN
    SET @seed_sql = CONCAT(
        'INSERT INTO demo.orders (user_id, status, amount, note, version, updated_at) ',
        'SELECT 1 + CRC32(seq) % 1000, ',
        '       ELT(1 + CRC32(CONCAT(''s'', seq)) % 4, ''new'', ''paid'', ''shipped'', ''cancelled''), ',
        '       (CRC32(CONCAT(''a'', seq)) % 10000000) / 100, ',
        '       CASE seq % 50 WHEN 0 THEN NULL WHEN 1 THEN '''' WHEN 2 THEN CONCAT(''gift 🎁 '', seq) ',
        '                     ELSE CONCAT(''order #'', seq) END, ',
        '       1, TIMESTAMP(''2024-01-01 00:00:00'') + INTERVAL seq * 1000003 MICROSECOND ',
        'FROM demo.seq_1_to_', p_count, ' ORDER BY seq');
    PREPARE seed FROM @seed_sql;
    EXECUTE seed;
    DEALLOCATE PREPARE seed;
END //
DELIMITER ;

CALL seed_orders(10000);

CREATE TABLE payments (
    id      BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    amount  DECIMAL(12, 2) NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

INSERT INTO payments SELECT seq, seq % 1000 + 1, seq % 9973 / 100, 1 FROM seq_1_to_2000;
