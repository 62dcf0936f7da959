@testable import PortalServer
import Testing

@Suite struct ConfigurationFileTests {
    @Test func keyValueLines() throws {
        let values = try ConfigurationFile.parse("""
            workers = 4
            database = "/var/lib/portal/portal.sqlite"
            log_level=debug
            \tbacklog\t=\t20_000\t
            """)
        #expect(values == [
            "workers": "4", "database": "/var/lib/portal/portal.sqlite", "log_level": "debug", "backlog": "20_000",
        ])
    }

    @Test func commentsAndBlankLinesAreIgnored() throws {
        let values = try ConfigurationFile.parse("""
            # portald configuration

               # indented comment
            workers = 4 # trailing comment
            log_level = info#no space before it
            \t
            #workers = 8
            """)
        #expect(values == ["workers": "4", "log_level": "info"])
    }

    @Test func hashInsideQuotesIsPartOfTheValue() throws {
        let values = try ConfigurationFile.parse(#"""
            database = "/tmp/a#b.sqlite" # the comment starts here
            command_endpoint = "tcp://127.0.0.1:*"
            """#)
        #expect(values["database"] == "/tmp/a#b.sqlite")
        #expect(values["command_endpoint"] == "tcp://127.0.0.1:*")
    }

    @Test func quotedValuesKeepInnerSpaceAndMayBeEmpty() throws {
        let values = try ConfigurationFile.parse(#"""
            database = "  spaced name.sqlite  "
            log_level = ""
            """#)
        #expect(values == ["database": "  spaced name.sqlite  ", "log_level": ""])
    }

    @Test func valueMayContainEquals() throws {
        #expect(try ConfigurationFile.parse("command_endpoint = ipc:///tmp/a=b") == ["command_endpoint": "ipc:///tmp/a=b"])
    }

    @Test func emptyTextHasNoValues() throws {
        #expect(try ConfigurationFile.parse("") == [:])
        #expect(try ConfigurationFile.parse("\n\n# only comments\n") == [:])
    }

    @Test func duplicateKeyIsAnError() {
        let error = fileError("workers = 2\n# comment\nworkers = 3\n")
        #expect(error?.setting == "workers")
        #expect(error?.message.contains("line 3") == true)
    }

    @Test(arguments: [("workers 4", 1), ("# header\n\njust text\n", 3), ("workers = 4\nlog_level debug", 2)])
    func lineWithoutEqualsIsAnErrorNamingTheLine(text: String, line: Int) {
        let error = fileError(text)
        #expect(error?.setting == "line \(line)")
    }

    @Test(arguments: ["max-lines = 3", " = 3", "work ers = 3", "\"workers\" = 3", "workers2 = 3"])
    func malformedKeyIsAnErrorNamingTheLine(text: String) {
        let error = fileError("# first\n" + text)
        #expect(error?.setting == "line 2")
        #expect(error?.message.contains("not a setting name") == true)
    }

    @Test(arguments: [#"database = "/tmp/x"#, #"database = ""#, #"database = "a" b"#])
    func unterminatedQuotedValueIsAnError(text: String) {
        let error = fileError(text)
        #expect(error?.setting == "database")
        #expect(error?.message.contains("line 1") == true)
    }

    @Test
    func crlfLineEndingsAreAccepted() throws {
        #expect(try ConfigurationFile.parse("workers = 4\r\nlog_level = debug\r\n") == ["workers": "4", "log_level": "debug"])
    }
}
