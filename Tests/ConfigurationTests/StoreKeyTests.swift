import Configuration
import Foundation
import Testing

/// `store`: SQLite by default, or PostgreSQL with a URL, a password file and TLS
/// (DESIGN.md section 10); every mistake named by its key.
@Suite("store key")
struct StoreKeyTests {
    @Test("store defaults to sqlite, with tls require")
    func defaults() throws {
        let store = try load("feeds:\n  files: [\"/tmp/*.hl7\"]\n").store
        #expect(
            store == ExtravasdConfiguration.Store(kind: .sqlite, url: nil, passwordFile: nil, tls: .require))
        #expect(try load("store:\n  kind: sqlite\n").store.kind == .sqlite)
    }

    @Test("store: kind postgresql with url, password_file and tls")
    func postgresql() throws {
        let store = try load(
            """
            store:
              kind: postgresql
              url: "postgresql://extravasd@db.example:5432/extravasd"
              password_file: /etc/extravasd/pgpass
              tls: disable
            """
        ).store
        #expect(store.kind == .postgresql)
        #expect(store.url == "postgresql://extravasd@db.example:5432/extravasd")
        #expect(store.passwordFile == "/etc/extravasd/pgpass")
        #expect(store.tls == .disable)
        #expect(
            try load("store:\n  kind: postgresql\n  url: postgresql://u@[::1]/d\n").store.tls == .require)
    }

    @Test("a bad kind, url, tls or password_file, or an unknown store key, is named")
    func mistakes() {
        let kind = issues(yaml: "store:\n  kind: postgres\n")
        #expect(kind.map(\.code) == [.invalidValue])
        #expect(kind.first?.line == 2)
        #expect(
            kind.first?.reason
                == "'store.kind' must be one of sqlite, postgresql, not 'postgres'; did you mean 'postgresql'?"
        )

        let scheme = issues(yaml: "store:\n  kind: postgresql\n  url: mysql://u@h/d\n")
        #expect(scheme.map(\.code) == [.invalidValue])
        #expect(scheme.first?.reason.hasPrefix("'store.url' must be postgresql://USER@HOST:PORT/DB") == true)

        let password = issues(yaml: "store:\n  kind: postgresql\n  url: postgresql://u:hunter2@h/d\n")
        #expect(password.map(\.code) == [.invalidValue])
        #expect(password.first?.reason.contains("hunter2") == false, "a password is never quoted")

        let missing = issues(yaml: "store:\n  kind: postgresql\n")
        #expect(
            missing.map(\.reason) == [
                "'store.kind: postgresql' needs 'store.url' (postgresql://USER@HOST:PORT/DB)"
            ])

        let sqliteURL = issues(yaml: "store:\n  url: postgresql://u@h/d\n")
        #expect(
            sqliteURL.first?.reason.hasPrefix("'store.url' applies to 'store.kind: postgresql' only") == true)

        let tls = issues(yaml: "store:\n  kind: postgresql\n  url: postgresql://u@h/d\n  tls: none\n")
        #expect(tls.first?.reason.hasPrefix("'store.tls' must be one of require, disable") == true)

        let relative = issues(
            yaml: "store:\n  kind: postgresql\n  url: postgresql://u@h/d\n  password_file: pgpass\n")
        #expect(relative.first?.reason == "'store.password_file' must be an absolute path, not 'pgpass'")

        let unknown = issues(
            yaml: "store:\n  kind: postgresql\n  url: postgresql://u@h/d\n  passwrd_file: /x\n")
        #expect(unknown.map(\.code) == [.unknownKey])
        #expect(unknown.first?.reason.contains("password_file") == true)
    }

    @Test("store.retention_days: 90 by default, 1-3650 days, postgresql only")
    func retentionDays() throws {
        let url = "store:\n  kind: postgresql\n  url: postgresql://u@h/d\n"
        #expect(try load(url).store.retentionDays == 90)
        #expect(try load(url + "  retention_days: 400\n").store.retentionDays == 400)
        let zero = issues(yaml: url + "  retention_days: 0\n")
        #expect(zero.first?.reason.hasPrefix("'store.retention_days'") == true, "\(zero)")
        let sqlite = issues(yaml: "store:\n  retention_days: 30\n")
        #expect(
            sqlite.first?.reason.hasPrefix("'store.retention_days' applies to 'store.kind: postgresql' only")
                == true)
    }

    @Test("a password file that does not exist is not a parse error (the store reads it when it opens)")
    func passwordFileReadAtOpen() throws {
        let store = try load(
            "store:\n  kind: postgresql\n  url: postgresql://u@h/d\n  password_file: /nonexistent/pgpass\n"
        ).store
        #expect(store.passwordFile == "/nonexistent/pgpass")
    }

    @Test("the example file documents the store keys, SQLite by default")
    func example() throws {
        let text = try String(
            contentsOfFile: repositoryConfigFolder + "/extravasd.example.yaml", encoding: .utf8)
        #expect(text.contains("store:"))
        #expect(text.contains("  kind: sqlite"))
        for key in ["url:", "password_file:", "tls:"] { #expect(text.contains(key)) }
    }
}
