// `jamictl setup`: from nothing to "message your assistant", idempotent.
// In order, each step skipped when already done:
//   1. jamid runs (cli/daemon_service.hpp: systemd, a session bus, or a
//      private bus of our own);
//   2. the assistant's Jami account: the one the contact book names, the
//      only one, or a new one (alias --name); a username with --username;
//   3. registered on the DHT (bounded wait, dots on a terminal);
//   4. its Jami ID and a QR code the Jami app scans (--qr-file: SVG/PNG);
//   5. the contact book's section completed (setup.section: account,
//      "Contacts only: yes", the owner); the owner's contact request
//      accepted when it is there (--wait-owner: waits for it);
//   6. what to do next (the OpenClaw lines).
// Every step's result is in the --json answer; a failure stops there with
// the skill's error and a hint.
#include <chrono>
#include <filesystem>
#include <thread>

#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/daemon_service.hpp"
#include "cli/host.hpp"
#include "cli/output.hpp"
#include "cli/print.hpp"
#include "cli/qr.hpp"

namespace jamictl {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

bool isJamiId(const std::string& text) {
    return text.size() == 40 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

long seconds(const std::optional<std::string>& text, long fallback, const char* name) {
    if (!text) return fallback;
    try {
        std::size_t used = 0;
        const long value = std::stol(*text, &used);
        if (used == text->size() && value >= 0 && value <= 3600) return value;
    } catch (...) {}
    usageError(std::string(name) + " takes seconds (0 to 3600)");
}

class Setup {
public:
    Setup(Host& host, Words& words) : host_(host), terminal_(!host.json_output && ::isatty(1)) {
        name_ = takeOption(words, "--name").value_or("Assistant");
        owner_ = takeOption(words, "--owner").value_or("");
        owner_name_ = takeOption(words, "--owner-name").value_or("");
        account_ = takeOption(words, "--account").value_or("");
        username_ = takeOption(words, "--username").value_or("");
        qr_file_ = takeOption(words, "--qr-file").value_or("");
        register_s_ = seconds(takeOption(words, "--timeout"), 60, "--timeout");
        wait_owner_s_ = seconds(takeOption(words, "--wait-owner"), 0, "--wait-owner");
        while (auto detail = takeOption(words, "--detail")) {
            const auto eq = detail->find('=');
            if (eq == std::string::npos || eq == 0) usageError("--detail takes KEY=VALUE");
            details_[detail->substr(0, eq)] = detail->substr(eq + 1);
        }
        if (words.size() > 1) usageError("unexpected argument '" + words[1] + "'; see jamictl --help");
        if (!owner_.empty() && !isJamiId(owner_) && !owner_name_.empty())
            usageError("--owner-name names the contact made for --owner ID; --owner NAME is already a contact");
    }

    int run() {
        out_ = {{"ok", true}};
        if (host_.dry_run) out_["dry_run"] = true;
        if (!daemon() || !account() || !username() || !registered()) return finish();
        showId();
        if (!section() || !ownerRequest()) return finish();
        nextSteps();
        return finish();
    }

private:
    // A step's failure: the skill's error result is the answer.
    bool failed(const json& result) {
        out_["ok"] = false;
        out_["error"] = result.value("error", json{{"code", "internal_error"}, {"message", "no error given"}});
        return false;
    }
    void say(const std::string& line) const {
        if (!host_.json_output) to_stdout << line << "\n" << flush;
    }

    bool daemon() {
        json started = startDaemon(host_);
        if (!started.value("ok", false)) return failed(started);
        out_["daemon"] = {{"service", started["service"]}, {"bus", started.value("bus", "")}};
        if (started.value("dry_run", false)) {
            say("Would " + str(started, "would"));
            out_["daemon"]["would"] = started["would"];
            return false;  // nothing further can be read without jamid
        }
        out_["daemon"]["started"] = started.value("started", false);
        say(std::string(started.value("started", false) ? "Started jamid" : "jamid runs") + " (" +
            str(started, "service") + ")");
        return true;
    }

    bool account() {
        json request{{"action", "account.info"}};
        if (!account_.empty()) request["account"] = account_;
        json info = host_.ask(request);
        const std::string code = info.contains("error") ? str(info["error"], "code") : "";
        if (code == "no_account" || (code == "unknown_account" && account_.empty())) {
            json create{{"action", "account.create"}, {"type", "jami"}, {"alias", name_}};
            if (!details_.empty()) create.update({{"details", details_}, {"confirmed", true}});  // the user typed them
            if (host_.dry_run) {
                say("Would create a Jami account \"" + name_ + "\"");
                out_["account"] = {{"would", "create a Jami account"}, {"alias", name_}};
                return false;
            }
            info = host_.ask(create);
            if (!info.value("ok", false)) return failed(info);
            out_["account_created"] = true;
            say("Created the Jami account \"" + name_ + "\"");
        } else if (code == "ambiguous_account") {
            info["error"]["hint"] = "name the assistant's account: jamictl setup --account ID|ALIAS";
            return failed(info);
        } else if (!info.value("ok", false)) {
            return failed(info);
        }
        account_info_ = info["account"];
        if (!account_info_.contains("jami_id"))
            return failed({{"error",
                            {{"code", "invalid_argument"},
                             {"message", "account " + str(account_info_, "id") + " is not a Jami account"},
                             {"hint", "name a Jami account with --account, or create one: jamictl account create"}}}});
        out_["account"] = account_info_;
        return true;
    }

    bool username() {
        if (username_.empty() || !str(account_info_, "registered_name").empty()) return true;
        if (host_.dry_run) {
            say("Would register the username " + username_);
            return true;
        }
        json registered =
            host_.ask({{"action", "account.register"}, {"name", username_}, {"account", account_info_["id"]}});
        if (!registered.value("ok", false)) return failed(registered);
        account_info_ = registered["account"];
        say("Registered the username " + username_);
        return true;
    }

    bool registered() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(register_s_);
        bool dots = false;
        while (str(account_info_, "status") != "REGISTERED" && std::chrono::steady_clock::now() < deadline) {
            if (terminal_ && !dots) to_stderr << "Waiting for the Jami network (at most " << register_s_ << " s)";
            if (terminal_) to_stderr << "." << flush;
            dots = true;
            std::this_thread::sleep_for(1s);
            json info = host_.ask({{"action", "account.info"}, {"account", account_info_["id"]}});
            if (info.value("ok", false)) account_info_ = info["account"];
        }
        if (terminal_ && dots) to_stderr << "\n";
        if (str(account_info_, "jami_id").empty())  // jamid makes the identity first (seconds)
            return failed({{"error",
                            {{"code", "daemon_unavailable"},
                             {"message", "the account " + str(account_info_, "id") + " has no Jami ID yet (" +
                                             str(account_info_, "status") + ")"},
                             {"hint", "run jamictl setup again in a minute: it goes on where it stopped"}}}});
        const bool on_network = str(account_info_, "status") == "REGISTERED";
        out_["registered"] = on_network;
        out_["account"] = account_info_;
        if (!on_network) {
            out_["warning"] = "the account is " + str(account_info_, "status") + ", not yet on the Jami network";
            say("Not yet on the Jami network (" + str(account_info_, "status") +
                "): the phone can add the assistant once it is; check with jamictl account info");
        }
        return true;
    }

    void showId() {
        const std::string id = str(account_info_, "jami_id");
        out_["jami_id"] = id;
        if (!qr_file_.empty()) {
            const std::string why = writeQrFile(id, qr_file_);
            out_["qr_file"] = why.empty() ? json(std::filesystem::absolute(qr_file_).string()) : json(nullptr);
            if (!why.empty()) out_["qr_file_error"] = why;
        }
        if (host_.json_output) return;
        to_stdout << "\nThe assistant's Jami ID: " << id;
        if (!str(account_info_, "registered_name").empty())
            to_stdout << " (username " << str(account_info_, "registered_name") << ")";
        to_stdout << "\nIn the Jami app on your phone: add a contact, scan this code (or paste the ID):\n\n";
        if (auto qr = qrForTerminal(id))
            to_stdout << *qr;
        else if (const std::string why = qrProblem(); !why.empty())
            to_stderr << "jamictl: no QR code: " << why << "\n";
        if (out_.contains("qr_file_error"))
            to_stderr << "jamictl: the QR code file: " << str(out_, "qr_file_error") << "\n";
        else if (!qr_file_.empty())
            to_stdout << "(also in " << str(out_, "qr_file") << ")\n";
        to_stdout << "\n" << flush;
    }

    bool section() {
        if (host_.dry_run && host_.tools && !std::filesystem::exists(*host_.tools)) {
            say("Would create " + *host_.tools + " with the Jami Configuration section (account, contacts only" +
                (owner_.empty() ? std::string(")") : ", owner)"));
            out_["tools_md"] = {{"would", "create"}, {"path", *host_.tools}};
            return true;
        }
        json request{{"action", "setup.section"}, {"account", account_info_["id"]}};
        if (isJamiId(owner_)) {
            request["owner_id"] = owner_;
            if (!owner_name_.empty()) request["owner_name"] = owner_name_;
        } else if (!owner_.empty()) {
            request["owner_name"] = owner_;
        }
        if (host_.dry_run) request["dry_run"] = true;
        if (host_.yes) request["confirmed"] = true;
        json written = host_.ask(request);
        if (!written.value("ok", false) && written.contains("error") &&
            str(written["error"], "code") == "confirmation_required" && terminal_ && ::isatty(0)) {
            to_stdout << "Write to the contact book: " << str(written, "would") << "? [y/N] " << flush;
            const std::string answer = readLine().value_or("");
            if (answer != "y" && answer != "Y" && answer != "yes")
                return failed({{"error",
                                {{"code", "confirmation_required"},
                                 {"message", "the contact book was not changed"},
                                 {"hint", "run jamictl setup again and answer y, or pass --yes"}}}});
            request["confirmed"] = true;
            written = host_.ask(request);
        }
        if (!written.value("ok", false)) return failed(written);
        out_["tools_md"] = written;
        for (const auto& line : written.value("written", json::array()))
            say(std::string(host_.dry_run ? "Would write" : "Wrote") + " \"" + line.get<std::string>() + "\" to " +
                str(written, "tools_md"));
        for (const auto& kept : written.value("kept", json::array()))
            if (kept["value"] != kept["wanted"])
                say("Kept \"" + str(kept, "setting") + ": " + str(kept, "value") + "\" (setup would write \"" +
                    str(kept, "wanted") + "\"): edit " + str(written, "tools_md") + " if that is not what you want");
        owner_name_ = str(written, "owner");
        return true;
    }

    // The owner's contact request, accepted when it is there; with
    // --wait-owner, waited for. jamid itself accepts it when setup added the
    // owner on jamid (contact.add's request crossed theirs).
    bool ownerRequest() {
        if (!isJamiId(owner_) || host_.dry_run) return true;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_owner_s_);
        bool waiting = false;
        for (;;) {
            json requests = host_.ask({{"action", "contact.requests"}, {"account", account_info_["id"]}});
            for (const auto& r : requests.value("requests", json::array())) {
                if (str(r, "from") != owner_) continue;
                json accepted = host_.ask({{"action", "contact.accept"},
                                           {"contact", owner_},
                                           {"account", account_info_["id"]},
                                           {"confirmed", true}});
                if (!accepted.value("ok", false)) return failed(accepted);
                out_["owner_accepted"] = true;
                if (terminal_ && waiting) to_stderr << "\n";
                say("Accepted " + owner_name_ + "'s contact request");
                return true;
            }
            if (std::chrono::steady_clock::now() >= deadline) break;
            if (terminal_ && !waiting) to_stderr << "Waiting for " << owner_name_ << "'s contact request";
            if (terminal_) to_stderr << "." << flush;
            waiting = true;
            std::this_thread::sleep_for(1s);
        }
        if (terminal_ && waiting) to_stderr << "\n";
        out_["owner_accepted"] = false;
        return true;
    }

    // The OpenClaw plugin's package beside this jamictl (../share/jami-skill/openclaw/*.tgz).
    static std::string pluginPackage() {
        std::error_code ec;
        const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        const auto dir = self.parent_path().parent_path() / "share" / "jami-skill" / "openclaw";
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.path().extension() == ".tgz") return entry.path().string();
        return "jami-skill-openclaw-jami-VERSION.tgz (openclaw/README.md)";
    }

    void nextSteps() {
        const std::string allow = owner_name_.empty() ? std::string("<your Jami ID>") : owner_name_;
        // As openclaw/README.md has them; the install asks the user to
        // review the plugin's capabilities.
        json next = json::array(
            {"scan the QR code with the Jami app and send the assistant a message",
             "OpenClaw: openclaw plugins install npm-pack:" + pluginPackage(),
             "openclaw config set channels.jami '{\"dmPolicy\":\"pairing\",\"allowFrom\":[\"" + allow +
                 "\"]}' --strict-json",
             "openclaw config set session.dmScope '\"per-channel-peer\"' --strict-json, then openclaw gateway "
             "restart"});
        out_["next"] = next;
        if (host_.json_output) return;
        to_stdout << "\nNext:\n";
        for (const auto& line : next) to_stdout << "  - " << line.get<std::string>() << "\n";
        to_stdout << "jamictl and the plugin find jamid's bus by themselves (" << str(out_["daemon"], "service")
                  << ").\n";
    }

    int finish() {
        if (host_.json_output) return host_.report("setup", out_);
        if (!out_.value("ok", false)) return host_.report("setup", out_);
        return 0;
    }

    Host& host_;
    const bool terminal_;
    std::string name_, owner_, owner_name_, account_, username_, qr_file_;
    long register_s_ = 60, wait_owner_s_ = 0;
    json details_ = json::object();
    json account_info_;
    json out_;
};

}  // namespace

int setup(Host& host, Words& words) { return Setup(host, words).run(); }

}  // namespace jamictl
