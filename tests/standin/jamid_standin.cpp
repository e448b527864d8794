// A stand-in for jamid versions no installable package offers here (Debian
// 12 has 13.7; Debian 13 has none). It serves, on a private bus, exactly the
// methods and signals of one upstream release, read from a fixture of
// tests/data/jamid/ (upstream's bin/dbus/cx.ring.Ring.*.xml at that release,
// see extract.py there), so sd-bus itself rejects a call with another
// signature (InvalidArgs) or to a removed method (UnknownMethod), as the real
// daemon does since 2023-05. Behind the methods the skill uses it keeps a
// small world: one Jami account, one contact with a 1:1 conversation, calls
// that are answered at once, and emits every signal form that release has
// (14.0-16.0 send a message both as messageReceived and swarmMessageReceived;
// the 6- or 7-field swarm struct; incomingCall with or without media).
//
// What real jamid does beyond the wire (media, the DHT, SIP) is not here:
// those paths are tested on the real 13.7 daemon (tests/jamid/). The
// MediaPlayer (VideoManager, 13.10+) keeps what upstream's code does
// (jami-media.md section 1): a player opened paused, its duration read from
// the file (a PCM WAV here), the position advancing in real time once
// unpaused, back to 0 and paused at the end; requestMediaChange takes the
// SOURCE of a call's audio. No sound is made.
//
//   jamid_standin BUS_ADDRESS FIXTURE_DIR
// prints "ready" once it owns cx.ring.Ring, then one line per method call.
// Test control on /cx/ring/Standin, interface cx.ring.Standin:
//   ring(s from)                 an incoming call from `from`
//   deliver(s from, s text)      a message from `from` in the conversation
//   dropNext(s method)           the next call of `method` is not served and
//                                gets NoReply, as from a jamid that died
//                                serving it (13.7 can, in its own hang-up:
//                                docs/jamid.md)
#include <sdbus-c++/sdbus-c++.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "skill/jamid/interface.hpp"
#include "support/files.hpp"

#if __has_include(<sdbus-c++/VTableItems.h>)
#define STANDIN_SDBUS_2 1
#else
#define STANDIN_SDBUS_2 0
#endif

namespace {

using StringMap = std::map<std::string, std::string>;
using jskill::jamid::Members;

const std::string kAccount = "standin0";
const std::string kSelf = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kPeer = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const std::string kConversation = "c0nversation0";
constexpr const char* kCallManager = "cx.ring.Ring.CallManager";
constexpr const char* kConfigurationManager = "cx.ring.Ring.ConfigurationManager";
constexpr const char* kVideoManager = "cx.ring.Ring.VideoManager";

std::string slurp(const std::string& path) {
    if (!std::filesystem::is_regular_file(path)) {
        std::cerr << "jamid_standin: cannot read " << path << "\n";
        std::exit(2);
    }
    return test::readFile(path);
}

// --- sdbus-c++ 1.x / 2.x object API

struct Registration {
    std::string name, in, out;
    std::function<void(sdbus::MethodCall)> method;  // empty: a signal
};

std::unique_ptr<sdbus::IObject> makeObject(sdbus::IConnection& connection, const char* path,
                                           const std::string& interface, const std::vector<Registration>& members) {
#if STANDIN_SDBUS_2
    auto object = sdbus::createObject(connection, sdbus::ObjectPath(path));
    std::vector<sdbus::VTableItem> items;
    for (const auto& m : members) {
        if (m.method)
            items.push_back(sdbus::MethodVTableItem{
                sdbus::MethodName(m.name), sdbus::Signature(m.in), {}, sdbus::Signature(m.out), {}, m.method, {}});
        else
            items.push_back(sdbus::SignalVTableItem{sdbus::SignalName(m.name), sdbus::Signature(m.in), {}, {}});
    }
    object->addVTable(std::move(items)).forInterface(sdbus::InterfaceName(interface));
#else
    auto object = sdbus::createObject(connection, path);
    for (const auto& m : members) {
        if (m.method)
            object->registerMethod(interface, m.name, m.in, m.out, m.method);
        else
            object->registerSignal(interface, m.name, m.in);
    }
    object->finishRegistration();
#endif
    return object;
}

sdbus::Error errorOf(const char* name, const std::string& message) {
#if STANDIN_SDBUS_2
    return sdbus::Error(sdbus::Error::Name(name), message);
#else
    return sdbus::Error(name, message);
#endif
}

sdbus::Signal signalOf(sdbus::IObject& object, const char* interface, const std::string& name) {
#if STANDIN_SDBUS_2
    return object.createSignal(sdbus::InterfaceName(interface), sdbus::SignalName(name));
#else
    return object.createSignal(interface, name);
#endif
}

// --- the world behind the methods

struct Call {
    std::string account, peer, state;
    bool outgoing = false, muted = false;
};

struct Message {
    std::string id, author, body, parent;
    long long timestamp = 0;
};

class Standin {
public:
    Standin(sdbus::IConnection& connection, const std::string& fixture_dir) : connection_(connection) {
        calls_members_ = jskill::jamid::parseIntrospection(slurp(fixture_dir + "/CallManager.xml"));
        config_members_ = jskill::jamid::parseIntrospection(slurp(fixture_dir + "/ConfigurationManager.xml"));
        calls_ = makeObject(connection, "/cx/ring/Ring/CallManager", kCallManager, registrations(calls_members_));
        config_ = makeObject(connection, "/cx/ring/Ring/ConfigurationManager", kConfigurationManager,
                             registrations(config_members_));
        video_members_ = jskill::jamid::parseIntrospection(slurp(fixture_dir + "/VideoManager.xml"));
        video_ = makeObject(connection, "/cx/ring/Ring/VideoManager", kVideoManager, registrations(video_members_));
        control_ = makeObject(connection, "/cx/ring/Standin", "cx.ring.Standin",
                              {{"ring", "s", "", [this](sdbus::MethodCall call) { ring(call); }},
                               {"deliver", "ss", "", [this](sdbus::MethodCall call) { deliver(call); }},
                               {"dropNext", "s", "", [this](sdbus::MethodCall call) { dropNext(call); }}});
    }

private:
    bool hasSignal(const Members& members, const std::string& name, const char* signature = nullptr) const {
        auto it = members.find("signal " + name);
        return it != members.end() && (!signature || it->second.in == signature);
    }

    std::vector<Registration> registrations(const Members& members) {
        std::vector<Registration> out;
        for (const auto& [key, member] : members) {
            const bool is_method = key.starts_with("method ");
            const std::string name = key.substr(key.find(' ') + 1);
            if (!is_method) {
                out.push_back({name, member.in, "", {}});
                continue;
            }
            out.push_back({name, member.in, member.out, [this, name, in = member.in](sdbus::MethodCall call) {
                               std::lock_guard lock(mutex_);
                               std::printf("%s(%s)\n", name.c_str(), in.c_str());
                               std::fflush(stdout);
                               try {
                                   if (dropped_.erase(name))
                                       throw errorOf("org.freedesktop.DBus.Error.NoReply", "jamid died (stand-in)");
                                   serve(name, in, call);
                               } catch (const sdbus::Error&) {
                                   throw;  // sdbus-c++ answers it as the error reply
                               } catch (const std::exception& e) {
                                   // A bug of the stand-in: say so in its log and to the caller.
                                   std::printf("stand-in error in %s: %s\n", name.c_str(), e.what());
                                   std::fflush(stdout);
                                   throw errorOf("cx.ring.Standin.Error.Bug", e.what());
                               }
                           }});
        }
        return out;
    }

    template <typename... Args>
    void emit(sdbus::IObject& object, const char* interface, const Members& members, const std::string& name,
              const Args&... args) {
        if (!hasSignal(members, name)) return;  // not in this release
        auto signal = signalOf(object, interface, name);
        ((void)(signal << args), ...);
        object.emitSignal(signal);
    }
    template <typename... Args>
    void emitCalls(const std::string& name, const Args&... args) {
        emit(*calls_, kCallManager, calls_members_, name, args...);
    }
    template <typename... Args>
    void emitConfig(const std::string& name, const Args&... args) {
        emit(*config_, kConfigurationManager, config_members_, name, args...);
    }

    // A MediaPlayer: microseconds, as jamid counts them.
    struct Player {
        std::int64_t duration = 0;
        std::int64_t offset = 0;  // the position when last paused
        bool paused = true;
        std::chrono::steady_clock::time_point since;
        std::int64_t position() {
            if (paused) return offset;
            const auto now = std::chrono::steady_clock::now();
            const std::int64_t at = offset + std::chrono::duration_cast<std::chrono::microseconds>(now - since).count();
            if (at < duration) return at;
            paused = true;  // played once: back to the start, paused
            offset = 0;
            return 0;
        }
    };
    // A PCM WAV's length in microseconds from its header and size; 0 if unreadable.
    static std::int64_t wavDuration(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        unsigned char header[44] = {};
        if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
        const std::uint32_t rate = header[28] | header[29] << 8 | header[30] << 16 | std::uint32_t{header[31]} << 24;
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec || rate == 0 || size < 44) return 0;
        return static_cast<std::int64_t>((size - 44) * 1000000 / rate);
    }

    StringMap callDetails(const std::string& id) const {
        auto it = calls_by_id_.find(id);
        if (it == calls_by_id_.end()) return {};
        const Call& c = it->second;
        return {{"ACCOUNTID", c.account},
                {"PEER_NUMBER", c.peer},
                {"CALL_TYPE", c.outgoing ? "1" : "0"},
                {"CALL_STATE", c.state},
                {"AUDIO_MUTED", c.muted ? "true" : "false"},
                {"TIMESTAMP_START", "1700000000"}};
    }

    void setState(const std::string& id, const std::string& state) {
        Call& c = calls_by_id_[id];
        c.state = state;
        emitCalls("callStateChanged", c.account, id, state, int32_t{0});
        if (state == "OVER") calls_by_id_.erase(id);
    }
    void negotiated(const std::string& id) {
        const std::vector<StringMap> media{
            {{"MEDIA_TYPE", "MEDIA_TYPE_AUDIO"}, {"ENABLED", "true"}, {"LABEL", "audio_0"}}};
        emitCalls("mediaNegotiationStatus", id, std::string("NEGOTIATION_SUCCESS"), media);
    }

    // A new commit in the conversation, in every form this release sends.
    void commit(const std::string& author, const std::string& body) {
        Message m{std::to_string(1000 + messages_.size()), author, body,
                  messages_.empty() ? std::string() : messages_.back().id,
                  1700000000LL + static_cast<long long>(messages_.size())};
        messages_.push_back(m);
        emitConfig("messageReceived", kAccount, kConversation, asMap(m));
        const auto& members = config_members_;
        if (auto it = members.find("signal swarmMessageReceived"); it != members.end()) {
            if (it->second.in.ends_with("a{si})"))
                emitConfig("swarmMessageReceived", kAccount, kConversation, swarm7(m));
            else
                emitConfig("swarmMessageReceived", kAccount, kConversation, swarm6(m));
        }
    }
    static StringMap asMap(const Message& m) {
        return {{"id", m.id},
                {"type", "text/plain"},
                {"author", m.author},
                {"body", m.body},
                {"timestamp", std::to_string(m.timestamp)},
                {"linearizedParent", m.parent}};
    }
    static StringMap body(const Message& m) {
        return {{"author", m.author}, {"body", m.body}, {"timestamp", std::to_string(m.timestamp)}};
    }
    using Swarm7 = sdbus::Struct<std::string, std::string, std::string, StringMap, std::vector<StringMap>,
                                 std::vector<StringMap>, std::map<std::string, int32_t>>;
    using Swarm6 =
        sdbus::Struct<std::string, std::string, std::string, StringMap, std::vector<StringMap>, std::vector<StringMap>>;
    static Swarm7 swarm7(const Message& m) {
        return Swarm7{m.id, "text/plain", m.parent, body(m), {}, {}, {{kPeer, 2}}};
    }
    static Swarm6 swarm6(const Message& m) { return Swarm6{m.id, "text/plain", m.parent, body(m), {}, {}}; }

    template <typename... Values>
    static void reply(sdbus::MethodCall& call, const Values&... values) {
        auto r = call.createReply();
        ((void)(r << values), ...);
        r.send();
    }

    void serve(const std::string& name, const std::string& in, sdbus::MethodCall& call) {
        std::string account, id, a, b;
        if (name == "getAccountList") return reply(call, std::vector<std::string>{kAccount});
        if (name == "getAccountDetails") {
            call >> account;
            if (account != kAccount) return reply(call, StringMap{});
            return reply(call, StringMap{{"Account.type", "RING"},
                                         {"Account.alias", "Standin"},
                                         {"Account.displayName", "Standin"},
                                         {"Account.username", kSelf},
                                         {"Account.enable", "true"}});
        }
        if (name == "getVolatileAccountDetails") {
            call >> account;
            if (account != kAccount) return reply(call, StringMap{});
            return reply(call, StringMap{{"Account.registrationStatus", "REGISTERED"},
                                         {"Account.active", "true"},
                                         {"Account.registeredName", registered_name_},
                                         {"Account.deviceAnnounced", "true"}});
        }
        if (name == "registerName") {
            std::string password, scheme, wanted;
            // The order changed in 14.0: (account, name, scheme, password); before, (account, password, name).
            if (in == "ssss")
                call >> account >> wanted >> scheme >> password;
            else
                call >> account >> password >> wanted;
            reply(call, true);
            registered_name_ = wanted;
            emitConfig("nameRegistrationEnded", account, int32_t{0}, wanted);
            return;
        }
        if (name == "placeCallWithMedia") {
            std::vector<StringMap> media;
            call >> account >> b >> media;
            id = "call" + std::to_string(++call_counter_);
            calls_by_id_[id] = Call{account, b, "CONNECTING", true, false};
            reply(call, id);
            setState(id, "RINGING");
            setState(id, "CURRENT");
            negotiated(id);
            return;
        }
        if (name == "getCallList")
            return reply(call, [&] {
                std::vector<std::string> ids;
                for (const auto& [each, c] : calls_by_id_) ids.push_back(each);
                return ids;
            }());
        if (name == "getCallDetails") {
            call >> account >> id;
            return reply(call, callDetails(id));
        }
        if (name == "accept" || name == "refuse" || name == "hangUp" || name == "hold" || name == "resume" ||
            name == "unhold") {
            call >> account >> id;
            if (!calls_by_id_.contains(id)) return reply(call, false);
            reply(call, true);
            if (name == "accept")
                setState(id, "CURRENT"), negotiated(id);
            else if (name == "hold")
                setState(id, "HOLD"), negotiated(id);
            else if (name == "resume" || name == "unhold")
                setState(id, "CURRENT"), negotiated(id);
            else
                setState(id, "OVER");
            return;
        }
        if (name == "muteLocalMedia") {
            bool mute = false;
            call >> account >> id >> a >> mute;
            if (calls_by_id_.contains(id)) calls_by_id_[id].muted = mute;
            reply(call, calls_by_id_.contains(id));
            negotiated(id);
            return;
        }
        // One sound card: jamid's defaults.
        if (name == "getAudioInputDeviceList" || name == "getAudioOutputDeviceList")
            return reply(call, std::vector<std::string>{"default"});
        if (name == "getCurrentAudioDevicesIndex") return reply(call, std::vector<std::string>{"0", "0", "0"});
        if (name == "getNoiseSuppressState") return reply(call, std::string("auto"));
        if (name == "createMediaPlayer") {
            call >> a;  // file:///path: the id is what was passed
            const std::string path = a.starts_with("file://") ? a.substr(7) : a;
            const std::int64_t duration = wavDuration(path);
            if (duration == 0) return reply(call, std::string());
            Player player;
            player.duration = duration;
            players_[a] = player;
            reply(call, a);
            auto signal = signalOf(*video_, kVideoManager, "fileOpened");
            signal << path
                   << StringMap{{"duration", std::to_string(duration)}, {"audio_stream", "0"}, {"video_stream", "-1"}};
            video_->emitSignal(signal);
            return;
        }
        if (name == "pausePlayer") {
            bool pause = true;
            call >> a >> pause;
            auto it = players_.find(a);
            if (it == players_.end()) return reply(call, false);
            Player& p = it->second;
            p.offset = p.position();
            p.paused = pause;
            p.since = std::chrono::steady_clock::now();
            return reply(call, true);
        }
        if (name == "getPlayerPosition" || name == "getPlayerDuration") {
            call >> a;
            auto it = players_.find(a);
            if (it == players_.end()) return reply(call, std::int64_t{0});
            return reply(call, name == "getPlayerDuration" ? it->second.duration : it->second.position());
        }
        if (name == "closeMediaPlayer") {
            call >> a;
            return reply(call, players_.erase(a) == 1);
        }
        if (name == "requestMediaChange") {
            std::vector<StringMap> media;
            call >> account >> id >> media;
            if (!calls_by_id_.contains(id) || media.empty()) return reply(call, false);
            reply(call, true);
            negotiated(id);  // a re-INVITE, then the media again
            return;
        }
        if (name == "getContactDetails") {
            call >> account >> b;
            if (b != kPeer) return reply(call, StringMap{});
            return reply(
                call,
                StringMap{
                    {"id", kPeer}, {"added", "1700000000"}, {"confirmed", "true"}, {"conversationId", kConversation}});
        }
        if (name == "getConversations") return reply(call, std::vector<std::string>{kConversation});
        if (name == "getConversationMembers")
            return reply(call, std::vector<StringMap>{{{"uri", kSelf}, {"role", "admin"}},
                                                      {{"uri", kPeer}, {"role", "member"}}});
        if (name == "getTrustRequests") return reply(call, std::vector<StringMap>{});
        if (name == "addContact" || name == "sendTrustRequest") return reply(call);
        if (name == "sendMessage") {
            int32_t flag = 0;
            call >> account >> id >> b >> a >> flag;
            reply(call);
            commit(kSelf, b);
            return;
        }
        if (name == "sendTextMessage") {
            StringMap payloads;
            call >> account >> b >> payloads;
            const uint64_t message_id = ++text_counter_;
            reply(call, message_id);
            emitConfig("accountMessageStatusChanged", account, std::string(), b, std::to_string(message_id),
                       int32_t{2});
            return;
        }
        if (name == "getMessageStatus") return reply(call, int32_t{2});
        if (name == "loadConversation" || name == "loadConversationMessages") {
            uint32_t count = 0;
            call >> account >> id >> a >> count;
            const uint32_t request = ++load_counter_;
            reply(call, request);
            std::vector<const Message*> newest_first;
            for (auto it = messages_.rbegin(); it != messages_.rend() && newest_first.size() < count; ++it)
                newest_first.push_back(&*it);
            if (name == "loadConversationMessages") {
                std::vector<StringMap> list;
                for (const auto* m : newest_first) list.push_back(asMap(*m));
                emitConfig("conversationLoaded", request, account, id, list);
            } else if (config_members_.at("signal swarmLoaded").in.ends_with("a{si})")) {
                std::vector<Swarm7> list;
                for (const auto* m : newest_first) list.push_back(swarm7(*m));
                emitConfig("swarmLoaded", request, account, id, list);
            } else {
                std::vector<Swarm6> list;
                for (const auto* m : newest_first) list.push_back(swarm6(*m));
                emitConfig("swarmLoaded", request, account, id, list);
            }
            return;
        }
        throw errorOf("cx.ring.Standin.Error.NotServed", "the stand-in does not serve " + name);
    }

    void ring(sdbus::MethodCall& call) {
        std::lock_guard lock(mutex_);
        std::string from;
        call >> from;
        const std::string id = "call" + std::to_string(++call_counter_);
        calls_by_id_[id] = Call{kAccount, from, "INCOMING", false, false};
        reply(call);
        const std::vector<StringMap> media{
            {{"MEDIA_TYPE", "MEDIA_TYPE_AUDIO"}, {"ENABLED", "true"}, {"LABEL", "audio_0"}}};
        // Before 2025-12: incomingCall (sss) and incomingCallWithMedia; after: incomingCall with media.
        if (hasSignal(calls_members_, "incomingCall", "sss"))
            emitCalls("incomingCall", kAccount, id, from);
        else
            emitCalls("incomingCall", kAccount, id, from, media);
        emitCalls("incomingCallWithMedia", kAccount, id, from, media);
        emitCalls("callStateChanged", kAccount, id, std::string("INCOMING"), int32_t{0});
    }

    void dropNext(sdbus::MethodCall& call) {
        std::lock_guard lock(mutex_);
        std::string method;
        call >> method;
        dropped_.insert(method);
        reply(call);
    }

    void deliver(sdbus::MethodCall& call) {
        std::lock_guard lock(mutex_);
        std::string from, text;
        call >> from >> text;
        reply(call);
        commit(from, text);
    }

    sdbus::IConnection& connection_;
    Members calls_members_, config_members_, video_members_;
    std::unique_ptr<sdbus::IObject> calls_, config_, video_, control_;
    std::map<std::string, Player> players_;
    std::set<std::string> dropped_;  // methods whose next call dropNext fails
    std::mutex mutex_;
    std::map<std::string, Call> calls_by_id_;
    std::vector<Message> messages_;
    std::string registered_name_;
    int call_counter_ = 0;
    uint32_t load_counter_ = 0;
    uint64_t text_counter_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: jamid_standin BUS_ADDRESS FIXTURE_DIR\n";
        return 2;
    }
    auto connection = sdbus::createSessionBusConnectionWithAddress(argv[1]);
    Standin standin(*connection, argv[2]);
#if STANDIN_SDBUS_2
    connection->requestName(sdbus::ServiceName("cx.ring.Ring"));
#else
    connection->requestName("cx.ring.Ring");
#endif
    std::printf("ready\n");
    std::fflush(stdout);
    connection->enterEventLoop();
}
