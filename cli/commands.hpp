// jamictl's commands: one table row per command (its words, its help line,
// the skill action it sends and how its request is built). The usage text,
// `jamictl --json --help` and the request builder are all read from it, so
// adding a command is one row. The printers are chosen by the action
// (cli/print.hpp); tests/cli checks that every action the plugin offers has
// a command.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace jamictl {

using Words = std::vector<std::string>;

struct Host;  // cli/host.hpp

struct Command;
struct Command {
    std::string_view section;   // the usage heading it is listed under
    std::string_view synopsis;  // "call status [CALL_ID]": its leading lower-case words select it
    std::string_view help;      // one line, or several separated by '\n'
    std::string_view action;    // the skill action it sends; "" when jamictl handles it itself
    // The request from the whole command line's words (the command's own
    // words first); exits with status 2 on wrong usage.
    nlohmann::json (*build)(const Command& self, Words& words);
    // For the shared builders (optionalArg, restOfLine): the request member
    // the words after the command's own fill ("call_id", "contact").
    std::string_view key = {};
    // A command jamictl carries out itself (events, daemon start, setup):
    // given the open skill instead of sending one request; the exit status.
    int (*carry_out)(Host& host, Words& words) = nullptr;
    // setup: a --tools file that does not exist yet is made (empty) before
    // the skill opens, so that setup writes the section there.
    bool makes_tools_md = false;
};

const std::vector<Command>& commands();
// How many leading words select the command ("call status [CALL_ID]": 2).
std::size_t ownWords(const Command& command);
// The command the words select (the longest synopsis prefix), or nullptr:
// then the words are a sentence in English or Chinese.
const Command* findCommand(const Words& words);
// For a first word that only ever starts commands ("account"), the usage
// error naming its subcommands; nullopt for any other word.
std::optional<std::string> subcommandsOf(std::string_view first);
// `jamictl --help`, generated from the table.
std::string usageText();
// `jamictl --man`: the manual page (roff), from the same table: the
// package's man page cannot drift from --help.
std::string manPage(std::string_view version);
// `jamictl --json --help`: the table as JSON (section, synopsis, help, action).
nlohmann::json commandsJson();

// Wrong usage: the message and a pointer to --help on stderr, exit status 2.
[[noreturn]] void usageError(const std::string& message);
// Pulls the command-specific "--name value" out of the words.
std::optional<std::string> takeOption(Words& words, const std::string& name);

}  // namespace jamictl
