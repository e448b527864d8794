/* stack_floor.cpp's calls from C on libsystemd's sd-bus, the library under
 * sdbus-c++: what the same three questions to jamid cost without C++'s
 * runtime (bench/jamid_bench.sh times it beside the C++ floor).
 *   stack_floor_c BUS_ADDRESS */
#include <stdio.h>
#include <string.h>

#include <systemd/sd-bus.h>

static const char* const kService = "cx.ring.Ring";
static const char* const kPath = "/cx/ring/Ring/ConfigurationManager";
static const char* const kInterface = "cx.ring.Ring.ConfigurationManager";

/* The value of `key` in an a{ss} reply, copied into `out` ("" if absent). */
static const char* valueOf(sd_bus_message* reply, const char* key, char* out, size_t size) {
    const char *name, *value;
    out[0] = '\0';
    if (sd_bus_message_enter_container(reply, 'a', "{ss}") < 0) return out;
    while (sd_bus_message_enter_container(reply, 'e', "ss") > 0) {
        if (sd_bus_message_read(reply, "ss", &name, &value) >= 0 && strcmp(name, key) == 0)
            snprintf(out, size, "%s", value);
        sd_bus_message_exit_container(reply);
    }
    sd_bus_message_exit_container(reply);
    return out;
}

int main(int argc, char** argv) {
    sd_bus* bus = NULL;
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* list = NULL;
    char** ids = NULL;
    if (argc != 2) {
        fprintf(stderr, "usage: stack_floor_c BUS_ADDRESS\n");
        return 2;
    }
    if (sd_bus_new(&bus) < 0 || sd_bus_set_address(bus, argv[1]) < 0 || sd_bus_set_bus_client(bus, 1) < 0 ||
        sd_bus_start(bus) < 0 ||
        sd_bus_call_method(bus, kService, kPath, kInterface, "getAccountList", &error, &list, "") < 0 ||
        sd_bus_message_read_strv(list, &ids) < 0) {
        fprintf(stderr, "stack_floor_c: %s\n", error.message ? error.message : "no bus");
        return 1;
    }
    for (char** id = ids; id && *id; ++id) {
        sd_bus_message *details = NULL, *volatile_details = NULL;
        char alias[256], status[64];
        if (sd_bus_call_method(bus, kService, kPath, kInterface, "getAccountDetails", &error, &details, "s", *id) < 0 ||
            sd_bus_call_method(bus, kService, kPath, kInterface, "getVolatileAccountDetails", &error, &volatile_details,
                               "s", *id) < 0) {
            fprintf(stderr, "stack_floor_c: %s\n", error.message);
            return 1;
        }
        printf("%s %s %s\n", *id, valueOf(details, "Account.alias", alias, sizeof alias),
               valueOf(volatile_details, "Account.registrationStatus", status, sizeof status));
    }
    return 0;
}
