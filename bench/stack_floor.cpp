// The floor under a one-shot `jamictl account list`: a program on the same
// stack (C++, sdbus-c++) that asks jamid exactly what `account list` asks
// (the account list, then each account's details and volatile details) and
// prints a line per account, with nothing else: no plugin, no JSON, no
// policy, no TOOLS.md. bench/jamid_bench.sh times it beside jamictl and
// dbus-send, so the part of the cost that belongs to the chosen libraries
// (loading libstdc++, sdbus-c++ and their first use) is shown, not guessed.
//   stack_floor BUS_ADDRESS
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

// VTableItems.h is new in sdbus-c++ 2.0 (its names are strong types).
#if __has_include(<sdbus-c++/VTableItems.h>)
#define FLOOR_SDBUS_2 1
#else
#define FLOOR_SDBUS_2 0
#endif

namespace {

constexpr const char* kInterface = "cx.ring.Ring.ConfigurationManager";

template <class... Out>
void ask(sdbus::IProxy& proxy, const char* method, const std::string* argument, Out&... out) {
#if FLOOR_SDBUS_2
    auto call = proxy.createMethodCall(sdbus::InterfaceName(kInterface), sdbus::MethodName(method));
#else
    auto call = proxy.createMethodCall(kInterface, method);
#endif
    if (argument) call << *argument;
    auto reply = proxy.callMethod(call);
    (reply >> ... >> out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: stack_floor BUS_ADDRESS\n");
        return 2;
    }
    try {
        auto connection = sdbus::createSessionBusConnectionWithAddress(argv[1]);
#if FLOOR_SDBUS_2
        auto proxy = sdbus::createProxy(*connection, sdbus::ServiceName("cx.ring.Ring"),
                                        sdbus::ObjectPath("/cx/ring/Ring/ConfigurationManager"));
#else
        auto proxy = sdbus::createProxy(*connection, "cx.ring.Ring", "/cx/ring/Ring/ConfigurationManager");
#endif
        std::vector<std::string> ids;
        ask(*proxy, "getAccountList", nullptr, ids);
        for (const auto& id : ids) {
            std::map<std::string, std::string> details, volatile_details;
            ask(*proxy, "getAccountDetails", &id, details);
            ask(*proxy, "getVolatileAccountDetails", &id, volatile_details);
            std::printf("%s %s %s\n", id.c_str(), details["Account.alias"].c_str(),
                        volatile_details["Account.registrationStatus"].c_str());
        }
    } catch (const sdbus::Error& e) {
        std::fprintf(stderr, "stack_floor: %s\n", e.what());
        return 1;
    }
    return 0;
}
