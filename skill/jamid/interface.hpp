// Which form of each changed jamid feature a daemon offers, read from the
// daemon's own introspection data (never from its version string: "13.7.0"
// spans an API change, and master reports 16 or 17 depending on the build).
//
// Each feature lists its known forms, newest first; the first form the daemon
// has wins. Adding the next API change is one more row in kForms
// (interface.cpp) and one more case where the client calls it.
// Members that never changed are not checked here: a jamid without one
// answers UnknownMethod / InvalidArgs, which the client reports as
// daemon_unsupported naming the method.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace jskill::jamid {

enum class Feature {
    kResume,         // take a call off hold
    kSendText,       // a SIP text message (ConfigurationManager.sendTextMessage)
    kRegisterName,   // register a name on the name server
    kHistory,        // load a conversation's messages, and the signal with them
    kMessageSignal,  // a new message in a conversation
    kIncomingCall,   // an incoming call with its media
};
inline constexpr int kFeatureCount = 6;

// The forms, by feature. kNone: the daemon has none of them.
enum class Form {
    kNone,
    kResume,
    kUnhold,
    kSendTextWithFlag,
    kSendTextPlain,
    kRegisterNameSchemePassword,
    kRegisterPasswordName,
    kLoadConversation,
    kLoadConversationMessages,
    kSwarmMessageReceived,
    kMessageReceived,
    kIncomingCallMedia,
    kIncomingCallWithMedia,
};

// One object's members from its Introspect XML, keyed "method name" /
// "signal name". Unknown elements, comments and docstrings are skipped.
struct Member {
    std::string interface_name;
    std::string in;   // a method's in-arguments, a signal's arguments
    std::string out;  // a method's out-arguments
};
using Members = std::map<std::string, Member, std::less<>>;
Members parseIntrospection(std::string_view xml);

class DaemonInterface {
public:
    // Unknown: no daemon read yet. Callers then use the 13.7 forms, and the
    // message signals are taken as they come (see JamidClient).
    DaemonInterface() = default;
    // From the introspection of /cx/ring/Ring/CallManager and
    // /cx/ring/Ring/ConfigurationManager.
    static DaemonInterface fromIntrospection(std::string_view call_manager_xml,
                                             std::string_view configuration_manager_xml);

    bool known() const { return known_; }
    Form form(Feature feature) const { return forms_[static_cast<int>(feature)]; }

    // {"known":true,"features":{"resume":"resume(ss)",...},"missing":[...]}:
    // what jamictl daemon / daemon.status show.
    nlohmann::json describe() const;
    // The member a form calls or listens to, e.g. "resume(ss)".
    static std::string memberOf(Form form);
    // What a feature is called in describe() and in errors.
    static const char* nameOf(Feature feature);

private:
    bool known_ = false;
    Form forms_[kFeatureCount] = {Form::kNone, Form::kNone, Form::kNone, Form::kNone, Form::kNone, Form::kNone};
};

}  // namespace jskill::jamid
