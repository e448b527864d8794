# Sourced by the test harnesses: bus_conf SOCKET [SERVICEDIR] prints the
# configuration of a private session bus listening on SOCKET (a unix socket
# path), open to its own clients, with SERVICEDIR for D-Bus activation.
bus_conf() {
    cat <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$1</listen>
  <auth>EXTERNAL</auth>
${2:+  <servicedir>$2</servicedir>
}  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
}
