#!/bin/bash
echo "in guest: $(pwd) target=$TARGET"; cat /etc/debian_version; kamailio -v | head -1; ip xfrm state add src 1.1.1.1 dst 2.2.2.2 proto esp spi 0x100 mode transport auth 'hmac(sha1)' 0x0102030405060708091011121314151617181920 enc 'cbc(aes)' 0x01020304050607080910111213141516 && ip xfrm state | head -3
