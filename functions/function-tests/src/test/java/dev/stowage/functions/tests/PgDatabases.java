package dev.stowage.functions.tests;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PostgreSQL server on 127.0.0.1:5432 (trust auth), started if it is down. Tests create and
 * drop their own databases.
 */
final class PgDatabases {
    static final String HOST = "127.0.0.1";
    static final String USER = "postgres";

    private PgDatabases() {
    }

    static Connection connect(String database) throws SQLException {
        ensureRunning();
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/" + database, USER, "");
    }

    static void create(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
    }

    static void drop(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }

    static boolean exists(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            return r.next();
        }
    }

    /**
     * Fills {@code database} with what a real application has: two schemas, tables with primary and
     * foreign keys, check and unique constraints, indexes, a sequence, unicode text, bytea, and
     * {@code rows} rows in the largest table.
     */
    static void populate(String database, int rows) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE SCHEMA audit");
            s.execute("CREATE SEQUENCE shop.order_numbers START 1000 INCREMENT 7");
            s.execute("CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL UNIQUE, "
                    + "country char(2) CHECK (country ~ '^[A-Z]{2}$'), photo bytea)");
            s.execute("CREATE TABLE shop.orders (id bigint PRIMARY KEY DEFAULT nextval('shop.order_numbers'), "
                    + "customer int NOT NULL REFERENCES shop.customers(id), amount numeric(12,2) CHECK (amount >= 0), "
                    + "note text, created timestamptz NOT NULL)");
            s.execute("CREATE INDEX orders_by_customer ON shop.orders (customer, created)");
            s.execute("CREATE TABLE audit.events (id serial PRIMARY KEY, payload jsonb, at timestamptz DEFAULT now())");
            s.execute("INSERT INTO shop.customers SELECT g, 'Kunde ' || g || ' — Ünïcödé ✓ 客户 ' || md5(g::text), "
                    + "(ARRAY['DE','FR','JP','BR'])[1 + g % 4], decode(md5(g::text) || md5((g*7)::text), 'hex') "
                    + "FROM generate_series(1, 2000) g");
            s.execute("INSERT INTO shop.orders (customer, amount, note, created) SELECT 1 + g % 2000, "
                    + "(g % 10000) / 7.0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ''' || g || E'''\\ttab\\nline' END, "
                    + "timestamptz '2026-01-01 00:00:00+00' + g * interval '37 seconds' FROM generate_series(1, " + rows + ") g");
            s.execute("INSERT INTO audit.events (payload) SELECT jsonb_build_object('n', g, 'tag', 'é' || g) "
                    + "FROM generate_series(1, 500) g");
        }
    }

    /** A checksum per table (all rows in a stable order) plus each sequence's last value. */
    static Map<String, String> checksums(String database) throws SQLException {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables "
                    + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                        + "ORDER BY t::text)), '') FROM " + table + " t")) {
                    r.next();
                    sums.put(table, r.getString(1));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT schemaname || '.' || sequencename || '=' || "
                    + "coalesce(last_value, 0) FROM pg_sequences")) {
                while (r.next()) {
                    sums.put("sequence " + r.getString(1), "");
                }
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname IN ('shop', 'audit')")) {
                r.next();
                sums.put("indexes", r.getString(1));
            }
        }
        return sums;
    }

    private static void ensureRunning() {
        try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/postgres", USER, "")) {
            return;
        } catch (SQLException e) {
            // down: start it as the README's test command would
        }
        try {
            Process p = new ProcessBuilder("bash", "-c",
                    "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start").inheritIO().start();
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
