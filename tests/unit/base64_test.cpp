// Base64 as hosts send bytes (base/base64.hpp): RFC 4648's test vectors
// both ways, and one encoding per byte string (anything else is refused,
// not guessed).
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "base/base64.hpp"

using jskill::decodeBase64;
using jskill::encodeBase64;

TEST_CASE("base64: RFC 4648's vectors decode, and only canonical text does") {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                           {"Zg==", "f"},
                                                           {"Zm8=", "fo"},
                                                           {"Zm9v", "foo"},
                                                           {"Zm9vYg==", "foob"},
                                                           {"Zm9vYmE=", "fooba"},
                                                           {"Zm9vYmFy", "foobar"}};
    for (const auto& [text, bytes] : vectors) {
        CHECK_MESSAGE(decodeBase64(text) == std::optional<std::string>(bytes), text);
        CHECK(encodeBase64(bytes) == text);
    }
    std::string every;
    for (int i = 0; i < 256; ++i) every.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n < every.size(); n += 37)
        CHECK(decodeBase64(encodeBase64(every.substr(n))) == every.substr(n));
    CHECK(decodeBase64("//8A") == std::optional<std::string>(std::string("\xff\xff\0", 3)));
    for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Z=9v", "Zm-_", "===="})
        CHECK_MESSAGE(!decodeBase64(bad), bad);
}
